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
 * Builds the {@link KafkaSettings} of streamlet sources, sinks and admin clients the way Spring Boot
 * builds its own Kafka clients: per client type, the {@code spring.kafka.*} client properties
 * ({@link KafkaProperties#buildConsumerProperties()}, {@code buildProducerProperties()},
 * {@code buildAdminProperties()}, security included), with the bootstrap servers and security
 * protocol of the matching {@link KafkaConnectionDetails} configuration on top. So
 * {@code spring.kafka.producer.bootstrap-servers} reaches the sinks, and
 * {@code spring.kafka.admin.*} the admin clients.
 */
public final class KafkaSettingsFactory {

  // Flink's Kafka connector sets its own (byte array) serializers and deserializers, and the bootstrap
  // servers come from the connection details.
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
    KafkaConnectionDetails.Configuration consumer = connection.getConsumer();
    KafkaConnectionDetails.Configuration producer = connection.getProducer();
    KafkaConnectionDetails.Configuration admin = connection.getAdmin();
    if (connection.getSslBundle() != null || consumer.getSslBundle() != null || producer.getSslBundle() != null
        || admin.getSslBundle() != null) {
      // Flink ships client properties to task managers as strings: an in-memory SSL bundle cannot go along
      throw new StreamletConfigurationException(
          "spring.kafka.ssl.bundle is not supported for streamlets' Kafka sources and sinks.",
          "Use spring.kafka.ssl.trust-store-location, spring.kafka.ssl.key-store-location and their passwords "
              + "(file: locations every process can read) instead of an SSL bundle.");
    }
    return new KafkaSettings(
        client(properties.buildConsumerProperties(), consumer),
        client(properties.buildProducerProperties(), producer),
        client(properties.buildAdminProperties(), admin));
  }

  private static KafkaSettings.Client client(
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
    return new KafkaSettings.Client(String.join(",", connection.getBootstrapServers()), result);
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
