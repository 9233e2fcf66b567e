package cloudflow.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.plan.BadRecordHandling;
import cloudflow.flink.plan.RestoreSettings;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.plan.TopicSettings;
import cloudflow.flink.startup.StreamletStartupException;
import cloudflow.flink.startup.UnknownKafkaClusterException;
import cloudflow.streamlets.StreamletShape;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Each topic's clients get its own cluster's settings and its own client settings, and nothing else. */
class KafkaClustersTest {

  private static final String SECRET = "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";";

  private final KafkaClusters clusters = new KafkaClusters(
      KafkaSettings.of("plain:9092"),
      Map.of("secure", new KafkaSettings("secure:9093",
          Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.jaas.config", SECRET),
          Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.jaas.config", SECRET))));

  private static TopicSettings topic(String name, String cluster, Map<String, String> producer, Map<String, String> consumer,
      Map<String, String> connection) {
    return new TopicSettings(name, name, cluster, true, 0, 0, Map.of(), producer, consumer, connection);
  }

  @Test
  void sourcesAndSinksOfATopicUseItsClusterAndItsOwnClientSettingsOnly() {
    TopicSettings in = topic("in", "secure", Map.of(), Map.of("max.poll.records", "7"), Map.of());
    TopicSettings out = topic("out", TopicSettings.DEFAULT_CLUSTER, Map.of("compression.type", "zstd"), Map.of(), Map.of());
    StreamletDefinition definition = new StreamletDefinition("app", "processor", Map.of("in", "in", "out", "out"),
        ConfigFactory.empty(), DeliveryGuarantee.EXACTLY_ONCE,
        Map.of("in", new BadRecordHandling(BadRecordHandling.Policy.DEAD_LETTER, "in.dead-letter")), Map.of(),
        RestoreSettings.DEFAULT, Map.of("in", in, "out", out));
    KafkaStreamletContext context = new KafkaStreamletContext(
        StreamExecutionEnvironment.getExecutionEnvironment(), definition, StreamletShape.empty(), clusters);

    assertThat(context.sourceProperties("in"))
        .containsEntry("bootstrap.servers", "secure:9093")
        .containsEntry("sasl.jaas.config", SECRET)
        .containsEntry("max.poll.records", "7")
        .containsEntry("isolation.level", "read_committed");
    assertThat(context.sinkProperties("out"))
        .containsEntry("bootstrap.servers", "plain:9092")
        .containsEntry("compression.type", "zstd")
        .doesNotContainKey("sasl.jaas.config")
        .doesNotContainKey("security.protocol");
    // the dead letters of 'in' go to its cluster, without the producer settings of other topics
    assertThat(definition.deadLetterTopicSettings("in").cluster()).isEqualTo("secure");
    assertThat(clusters.forTopic(definition.deadLetterTopicSettings("in")).producer().bootstrapServers())
        .isEqualTo("secure:9093");
  }

  @Test
  void aTopicsConnectionConfigReachesEveryClientAndMayNameItsBrokers() {
    KafkaSettings settings = clusters.forTopic(topic("t", TopicSettings.DEFAULT_CLUSTER, Map.of("acks", "all"),
        Map.of("fetch.min.bytes", "2"), Map.of("bootstrap.servers", "elsewhere:9092", "client.dns.lookup", "use_all_dns_ips")));

    assertThat(settings.consumer().bootstrapServers()).isEqualTo("elsewhere:9092");
    assertThat(settings.producer().bootstrapServers()).isEqualTo("elsewhere:9092");
    assertThat(settings.admin().bootstrapServers()).isEqualTo("elsewhere:9092");
    assertThat(settings.consumer().properties()).containsEntry("client.dns.lookup", "use_all_dns_ips")
        .containsEntry("fetch.min.bytes", "2").doesNotContainKey("acks").doesNotContainKey("bootstrap.servers");
    assertThat(settings.producer().properties()).containsEntry("acks", "all").doesNotContainKey("fetch.min.bytes");
    assertThat(settings.admin().properties()).containsEntry("client.dns.lookup", "use_all_dns_ips")
        .doesNotContainKey("acks").doesNotContainKey("fetch.min.bytes");
  }

  @Test
  void aTopicOnAnUnknownClusterNamesTheTopicTheClusterAndTheKnownOnes() {
    assertThatThrownBy(() -> clusters.forTopic(topic("readings", "us-west", Map.of(), Map.of(), Map.of())))
        .isInstanceOf(UnknownKafkaClusterException.class)
        .hasMessageContaining("'readings'").hasMessageContaining("'us-west'").hasMessageContaining("default, secure")
        .extracting(e -> ((StreamletStartupException) e).fix()).isEqualTo(StreamletStartupException.Fix.KAFKA_CLUSTERS);
  }

  @Test
  void theDefaultClusterNameCannotNameAnother() {
    assertThatThrownBy(() -> new KafkaClusters(KafkaSettings.of("a:1"), Map.of("default", KafkaSettings.of("b:1"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'default'");
  }
}
