package cloudflow.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.streamlets.StreamletShape;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The Kafka client properties {@link KafkaStreamletContext} gives inlets and outlets. */
class KafkaStreamletContextTest {

  @Test
  void batchesProducerSendsAndPollsMoreRecordsUnlessTheClientPropertiesSayOtherwise() {
    KafkaStreamletContext defaults = context(DeliveryGuarantee.AT_LEAST_ONCE, Map.of(), Map.of());

    assertThat(defaults.sinkProperties())
        .containsEntry("linger.ms", "10")
        .containsEntry("batch.size", "65536")
        .doesNotContainKey("transaction.timeout.ms");
    assertThat(defaults.sourceProperties())
        .containsEntry("max.poll.records", "2000")
        .containsEntry("isolation.level", "read_committed");

    KafkaStreamletContext configured = context(DeliveryGuarantee.AT_LEAST_ONCE,
        Map.of("max.poll.records", "100", "isolation.level", "read_uncommitted"),
        Map.of("linger.ms", "0", "compression.type", "zstd"));

    assertThat(configured.sinkProperties())
        .containsEntry("linger.ms", "0")
        .containsEntry("batch.size", "65536")
        .containsEntry("compression.type", "zstd");
    // aborted transactions of an exactly-once writer must never be read, whatever is configured
    assertThat(configured.sourceProperties())
        .containsEntry("max.poll.records", "100")
        .containsEntry("isolation.level", "read_committed");
  }

  @Test
  void givesExactlyOnceProducersATransactionTimeoutBelowTheBrokersMaximumUnlessSet() {
    assertThat(context(DeliveryGuarantee.EXACTLY_ONCE, Map.of(), Map.of()).sinkProperties())
        .containsEntry("transaction.timeout.ms", KafkaStreamletContext.DEFAULT_TRANSACTION_TIMEOUT_MS);
    assertThat(context(DeliveryGuarantee.EXACTLY_ONCE, Map.of(), Map.of("transaction.timeout.ms", "60000"))
            .sinkProperties())
        .containsEntry("transaction.timeout.ms", "60000");
  }

  private static KafkaStreamletContext context(
      DeliveryGuarantee guarantee, Map<String, String> consumer, Map<String, String> producer) {
    StreamletDefinition definition = new StreamletDefinition(
        "app", "processor", Map.of(), ConfigFactory.empty(), guarantee, Map.of(), Map.of());
    return new KafkaStreamletContext(StreamExecutionEnvironment.getExecutionEnvironment(), definition,
        StreamletShape.createEmpty(), new KafkaSettings("localhost:9092", consumer, producer));
  }
}
