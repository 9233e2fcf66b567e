package cloudflow.flink.kafka;

import java.util.Map;

/**
 * Where the Kafka cluster is and how to talk to it.
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 * @param consumerProperties Kafka client properties for sources (security settings included)
 * @param producerProperties Kafka client properties for sinks (security settings included)
 */
public record KafkaSettings(
    String bootstrapServers, Map<String, String> consumerProperties, Map<String, String> producerProperties) {

  /** Validates and copies the settings. */
  public KafkaSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Kafka bootstrap servers are not set");
    }
    consumerProperties = Map.copyOf(consumerProperties);
    producerProperties = Map.copyOf(producerProperties);
  }

  /** Settings with no extra client properties. */
  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of(), Map.of());
  }
}
