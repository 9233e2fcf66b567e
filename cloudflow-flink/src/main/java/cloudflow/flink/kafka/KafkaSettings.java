package cloudflow.flink.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;

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

  /**
   * Properties for an admin client talking to the same brokers with the same security settings (the
   * consumer properties an admin client understands), answering within {@code timeout}.
   */
  public Properties adminProperties(Duration timeout) {
    Properties properties = new Properties();
    properties.putAll(consumerProperties);
    properties.keySet().removeIf(key -> !AdminClientConfig.configNames().contains(key));
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
    return properties;
  }

  /** Settings with no extra client properties. */
  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of(), Map.of());
  }
}
