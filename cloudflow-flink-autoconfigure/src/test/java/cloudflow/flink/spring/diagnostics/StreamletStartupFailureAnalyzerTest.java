package cloudflow.flink.spring.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.startup.ExactlyOnceUnsupportedException;
import cloudflow.flink.startup.IncompatibleStateException;
import cloudflow.flink.startup.InletWithoutTopicException;
import cloudflow.flink.startup.KafkaCredentialsRefusedException;
import cloudflow.flink.startup.LocalClusterPortException;
import cloudflow.flink.startup.StreamletStartupException;
import cloudflow.flink.startup.TopicSettingsException;
import cloudflow.flink.startup.TransactionTimeoutException;
import cloudflow.flink.startup.UnclaimedStateException;
import cloudflow.flink.startup.UnknownKafkaClusterException;
import java.util.List;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationContextException;

/** Each startup failure of the runtime is printed with the properties of this starter that fix it. */
class StreamletStartupFailureAnalyzerTest {

  private final StreamletStartupFailureAnalyzer analyzer = new StreamletStartupFailureAnalyzer();

  @Test
  void aTransactionTimeoutAboveTheBrokersMaximumNamesBothSettings() {
    FailureAnalysis analysis = analyze(new TransactionTimeoutException("processor", 3_600_000, 900_000));

    assertThat(analysis.getDescription()).isEqualTo("Streamlet 'processor' cannot run: Exactly-once needs the producer "
        + "setting transaction.timeout.ms (3600000 ms) to be at most the broker's transaction.max.timeout.ms (900000 ms)");
    assertThat(analysis.getAction()).contains("spring.kafka.producer.properties.transaction.timeout.ms")
        .contains("transaction.max.timeout.ms");
  }

  @Test
  void brokersWithoutTransactionListingNameTheStreamletsDeliveryGuarantee() {
    assertThat(analyze(new ExactlyOnceUnsupportedException("processor")).getAction())
        .contains("cloudflow.streamlets.processor.delivery-guarantee").contains("Kafka 3.0");
  }

  @Test
  void refusedCredentialsNameTheSecuritySettings() {
    FailureAnalysis analysis = analyze(
        new KafkaCredentialsRefusedException("kafka:9093", new SaslAuthenticationException("SCRAM failed")));

    assertThat(analysis.getDescription()).isEqualTo("Kafka at kafka:9093 refused the client's credentials: SCRAM failed");
    assertThat(analysis.getAction()).contains("spring.kafka.properties.sasl.jaas.config").contains("spring.kafka.ssl.");
  }

  @Test
  void aTopicOnAnUnknownClusterNamesTheClusterProperty() {
    FailureAnalysis analysis = analyze(new UnknownKafkaClusterException("readings", "us-west", java.util.Set.of("default")));

    assertThat(analysis.getDescription())
        .isEqualTo("Topic 'readings' is on Kafka cluster 'us-west', which is not configured (known clusters: default)");
    assertThat(analysis.getAction()).contains("cloudflow.kafka.clusters.us-west.bootstrap-servers")
        .contains("cloudflow.blueprint.topics.<key>.cluster");
  }

  @Test
  void topicSettingsTheClusterRefusesNameTheTopicsSettings() {
    FailureAnalysis analysis = analyze(new TopicSettingsException("processor", "readings", "Topic 'in' has 2 partitions", null));

    assertThat(analysis.getDescription()).isEqualTo("Streamlet 'processor' cannot run: Topic 'in' has 2 partitions");
    assertThat(analysis.getAction()).contains("topics.readings").contains("cloudflow.blueprint.topics.readings.*")
        .contains("partitions");
  }

  @Test
  void aTakenRestPortNamesTheFlinkPropertyThatSetIt() {
    FailureAnalysis analysis = analyze(new LocalClusterPortException("processor", "rest.bind-port", "8081-8082", null));

    assertThat(analysis.getDescription()).isEqualTo("The local Flink cluster of streamlet 'processor' cannot serve "
        + "Flink's REST API on rest.bind-port 8081-8082: every port of it is taken on this host");
    assertThat(analysis.getAction()).startsWith("Set cloudflow.flink.rest.bind-port to a free port or a range");
  }

  @Test
  void inletsWithoutATopicNameThePortProperty() {
    FailureAnalysis analysis = analyze(new InletWithoutTopicException("processor", List.of("in")));

    assertThat(analysis.getDescription()).isEqualTo("Streamlet 'processor' has inlets without a topic: [in]");
    assertThat(analysis.getAction()).contains("cloudflow.streamlets.processor.ports.<inlet>.topic");
  }

  @Test
  void stateNoOperatorClaimsNamesTheRestoreProperties() {
    FailureAnalysis analysis = analyze(new UnclaimedStateException("processor", "file:/sp/savepoint-1",
        List.of("running-stats"), "Streamlet 'processor' cannot restore file:/sp/savepoint-1: operator 'running-stats'"));

    assertThat(analysis.getDescription()).isEqualTo("Streamlet 'processor' cannot restore file:/sp/savepoint-1: "
        + "operator 'running-stats'");
    assertThat(analysis.getAction()).contains("cloudflow.streamlets.processor.restore-from=<path>")
        .contains("cloudflow.streamlets.processor.allow-non-restored-state=true").contains("not deleted");
  }

  @Test
  void anIncompatibleStateIsNotFixedByDroppingIt() {
    FailureAnalysis analysis = analyze(new IncompatibleStateException("processor", "file:/sp/savepoint-1",
        "running-stats", List.of("total"), "Streamlet 'processor' cannot restore the state of operator 'running-stats'"));

    assertThat(analysis.getAction()).contains("cloudflow.streamlets.processor.restore-from=<path>")
        .doesNotContain("allow-non-restored-state");
  }

  @Test
  void everyKindOfFixHasAnAction() {
    for (StreamletStartupException.Fix fix : StreamletStartupException.Fix.values()) {
      StreamletStartupException failure = new StreamletStartupException("s", "failed", null) {
        @Override
        public Fix fix() {
          return fix;
        }
      };
      assertThat(StreamletStartupFailureAnalyzer.action(failure)).as(fix.name()).isNotBlank();
    }
  }

  private FailureAnalysis analyze(StreamletStartupException failure) {
    // as Spring reports it: the lifecycle bean's start failed because of it
    return analyzer.analyze(new ApplicationContextException("Failed to start bean 'streamletLauncher'", failure));
  }
}
