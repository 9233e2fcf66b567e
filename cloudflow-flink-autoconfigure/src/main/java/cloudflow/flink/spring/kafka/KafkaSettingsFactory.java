package cloudflow.flink.spring.kafka;

import cloudflow.flink.kafka.KafkaClusters;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.plan.TopicSettings;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
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
 * {@code spring.kafka.admin.*} the admin clients. Named clusters ({@code cloudflow.kafka.clusters.<name>.*})
 * have the same shape and are built the same way ({@link #createClusters}).
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

  /**
   * The application's Kafka clusters: the default one (from {@code spring.kafka.*}, see {@link #create}),
   * and each named one from its {@code cloudflow.kafka.clusters.<name>.*}, built the same way from
   * its own properties only, so no setting of one cluster (credentials above all) reaches another.
   *
   * @param binder the properties as set, to tell a cluster's bootstrap servers from Boot's default
   *     ({@code localhost:9092}), which would send a named cluster's clients to the wrong place
   */
  public static KafkaClusters createClusters(
      KafkaSettings defaultCluster, Map<String, KafkaProperties> named, Binder binder) {
    Map<String, KafkaSettings> clusters = new LinkedHashMap<>();
    named.forEach((name, cluster) -> {
      String prefix = "cloudflow.kafka.clusters." + name;
      if (TopicSettings.DEFAULT_CLUSTER.equals(name)) {
        throw new StreamletConfigurationException(
            prefix + " is not allowed: the Kafka cluster 'default' is the one spring.kafka.* configures.",
            "Configure the default cluster with spring.kafka.*, and give other clusters other names.");
      }
      boolean located = Stream.of("", ".consumer", ".producer").anyMatch(client ->
          binder.bind(prefix + client + ".bootstrap-servers", Bindable.listOf(String.class)).isBound());
      if (!located) {
        throw new StreamletConfigurationException("The Kafka cluster " + prefix + " has no bootstrap servers.",
            "Set " + prefix + ".bootstrap-servers to the cluster's host:port list.");
      }
      clusters.put(name, createNamed(prefix, cluster));
    });
    return new KafkaClusters(defaultCluster, clusters);
  }

  private static KafkaSettings createNamed(String prefix, KafkaProperties properties) {
    if (properties.getSsl().getBundle() != null || properties.getConsumer().getSsl().getBundle() != null
        || properties.getProducer().getSsl().getBundle() != null || properties.getAdmin().getSsl().getBundle() != null) {
      throw new StreamletConfigurationException(
          prefix + ".ssl.bundle is not supported for streamlets' Kafka sources and sinks.",
          "Use " + prefix + ".ssl.trust-store-location, " + prefix + ".ssl.key-store-location and their passwords "
              + "(file: locations every process can read) instead of an SSL bundle.");
    }
    return new KafkaSettings(
        namedClient(prefix, "consumer", properties.buildConsumerProperties()),
        namedClient(prefix, "producer", properties.buildProducerProperties()),
        namedClient(prefix, "admin", properties.buildAdminProperties()));
  }

  // Boot's own built properties carry the bootstrap servers (the client type's, else the cluster's)
  private static KafkaSettings.Client namedClient(String prefix, String clientType, Map<String, Object> built) {
    Object servers = built.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    String bootstrapServers = servers == null ? "" : asString(servers);
    if (bootstrapServers.isBlank()) {
      throw new StreamletConfigurationException(
          "The Kafka cluster " + prefix + " has no bootstrap servers for its " + clientType + "s.",
          "Set " + prefix + ".bootstrap-servers to the cluster's host:port list.");
    }
    return client(built, bootstrapServers, null);
  }

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
    return client(built, String.join(",", connection.getBootstrapServers()), connection.getSecurityProtocol());
  }

  private static KafkaSettings.Client client(Map<String, Object> built, String bootstrapServers, String securityProtocol) {
    Map<String, String> result = new LinkedHashMap<>();
    built.forEach((key, value) -> {
      if (value != null && !CONNECTOR_OWNED.contains(key)) {
        result.put(key, asString(value));
      }
    });
    if (securityProtocol != null) {
      result.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
    }
    return new KafkaSettings.Client(bootstrapServers, result);
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
