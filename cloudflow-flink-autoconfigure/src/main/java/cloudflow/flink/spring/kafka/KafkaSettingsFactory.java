package cloudflow.flink.spring.kafka;

import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * Builds the {@link KafkaSettings} of streamlet sources and sinks the way Spring Boot builds its own
 * Kafka clients: {@code spring.kafka.*} client properties (security included), with the bootstrap
 * servers and security protocol of the {@link KafkaConnectionDetails} on top.
 */
public final class KafkaSettingsFactory {

  // Flink's Kafka connector sets its own (byte array) serializers and deserializers.
  private static final List<String> CONNECTOR_OWNED =
      List.of(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);

  private KafkaSettingsFactory() {}

  /** The settings for the given Boot Kafka configuration. */
  public static KafkaSettings create(
      KafkaProperties properties, KafkaConnectionDetails connection) {
    if (connection.getSslBundle() != null || connection.getConsumer().getSslBundle() != null) {
      // Flink ships client properties to task managers as strings: an in-memory SSL bundle cannot go along
      throw new StreamletConfigurationException(
          "spring.kafka.ssl.bundle is not supported for streamlets' Kafka sources and sinks.",
          "Use spring.kafka.ssl.trust-store-location, spring.kafka.ssl.key-store-location and their passwords "
              + "(file: locations every process can read) instead of an SSL bundle.");
    }
    KafkaConnectionDetails.Configuration consumer = connection.getConsumer();
    KafkaConnectionDetails.Configuration producer = connection.getProducer();
    return new KafkaSettings(
        String.join(",", consumer.getBootstrapServers()),
        clientProperties(properties.buildConsumerProperties(), consumer),
        clientProperties(properties.buildProducerProperties(), producer));
  }

  private static Map<String, String> clientProperties(
      Map<String, Object> built, KafkaConnectionDetails.Configuration connection) {
    Map<String, String> result = new LinkedHashMap<>();
    built.forEach((key, value) -> {
      if (value != null && !CONNECTOR_OWNED.contains(key)) {
        result.put(key, asString(value));
      }
    });
    if (connection.getSecurityProtocol() != null) {
      result.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, connection.getSecurityProtocol());
    }
    return result;
  }

  private static String asString(Object value) {
    if (value instanceof Class<?> type) {
      return type.getName();
    }
    if (value instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }
}
