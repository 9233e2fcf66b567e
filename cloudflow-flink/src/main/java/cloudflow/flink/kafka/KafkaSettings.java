package cloudflow.flink.kafka;

import cloudflow.flink.plan.TopicSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Where the Kafka cluster is and how to talk to it, per client type: sources use {@link #consumer},
 * sinks (dead-letter sinks included) {@link #producer}, and the admin clients that create topics and
 * check exactly-once prerequisites {@link #admin}. Each may name its own bootstrap servers, as Spring
 * Boot's {@code spring.kafka.consumer/producer/admin.bootstrap-servers} allow.
 *
 * @param consumer the sources' connection
 * @param producer the sinks' connection
 * @param admin the admin clients' connection
 */
public record KafkaSettings(Client consumer, Client producer, Client admin) {

  /** Validates the settings. */
  public KafkaSettings {
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(producer, "producer");
    Objects.requireNonNull(admin, "admin");
  }

  /**
   * Settings with the same brokers for every client, for code without Spring: the admin clients get
   * the consumer properties an admin client understands (security settings among them).
   *
   * @param bootstrapServers comma-separated {@code host:port} list
   * @param consumerProperties Kafka client properties for sources (security settings included)
   * @param producerProperties Kafka client properties for sinks (security settings included)
   */
  public KafkaSettings(
      String bootstrapServers, Map<String, String> consumerProperties, Map<String, String> producerProperties) {
    this(new Client(bootstrapServers, consumerProperties), new Client(bootstrapServers, producerProperties),
        new Client(bootstrapServers, adminSubset(consumerProperties)));
  }

  /** Settings with the same brokers and no extra client properties for every client. */
  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of(), Map.of());
  }

  /**
   * Properties for an admin client ({@link #admin}'s brokers and properties), answering within
   * {@code timeout}.
   */
  public Properties adminProperties(Duration timeout) {
    Properties properties = new Properties();
    properties.putAll(admin.properties());
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, admin.bootstrapServers());
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
    return properties;
  }

  /**
   * The settings of the clients that reach one topic: its {@code connection-config} over every
   * client's properties ({@code bootstrap.servers} there replaces the brokers), its
   * {@code consumer-config} over the sources' and its {@code producer-config} over the sinks'.
   */
  public KafkaSettings forTopic(TopicSettings topic) {
    if (topic.connectionConfig().isEmpty() && topic.consumerConfig().isEmpty() && topic.producerConfig().isEmpty()) {
      return this;
    }
    return new KafkaSettings(
        consumer.with(topic.connectionConfig()).with(topic.consumerConfig()),
        producer.with(topic.connectionConfig()).with(topic.producerConfig()),
        admin.with(adminSubset(topic.connectionConfig())));
  }

  private static Map<String, String> adminSubset(Map<String, String> clientProperties) {
    Map<String, String> admin = new TreeMap<>(clientProperties);
    admin.keySet().removeIf(key -> !AdminClientConfig.configNames().contains(key));
    return admin;
  }

  /**
   * How one type of client connects.
   *
   * @param bootstrapServers comma-separated {@code host:port} list
   * @param properties Kafka client properties (security settings included; no bootstrap servers)
   */
  public record Client(String bootstrapServers, Map<String, String> properties) {

    /** Validates and copies the settings. */
    public Client {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("Kafka bootstrap servers are not set");
      }
      properties = Map.copyOf(properties);
    }

    /**
     * These settings with {@code overrides} on top; a {@code bootstrap.servers} among them replaces
     * the brokers.
     */
    public Client with(Map<String, String> overrides) {
      if (overrides.isEmpty()) {
        return this;
      }
      Map<String, String> merged = new TreeMap<>(properties);
      merged.putAll(overrides);
      String servers = merged.remove(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
      return new Client(servers == null ? bootstrapServers : servers, merged);
    }

    /** The settings with secrets masked: a record's own {@code toString} would print them into logs. */
    @Override
    public String toString() {
      return "Client[bootstrapServers=" + bootstrapServers + ", properties=" + TopicSettings.masked(properties) + "]";
    }
  }
}
