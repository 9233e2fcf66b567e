package cloudflow.flink.plan;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a topic is created and reached, with Cloudflow's blueprint names: which Kafka cluster it lives
 * on ({@code cluster}), whether this application creates it ({@code managed}), with how many
 * partitions and replicas, its topic-level configuration ({@code topic.<config>}), and the client
 * settings of its own sources ({@code consumer-config}), sinks ({@code producer-config}) and of every
 * client that reaches it ({@code connection-config}).
 *
 * @param key the topic's key in the blueprint (its Kafka name when it has no blueprint entry)
 * @param name the Kafka topic name ({@code topic.name})
 * @param cluster the Kafka cluster the topic lives on, {@link #DEFAULT_CLUSTER} unless named
 * @param managed whether the application creates the topic when it is missing; an unmanaged topic
 *     must exist
 * @param partitions partitions to create it with and the least it must have, or 0 for the broker's
 *     default and no check
 * @param replicas replicas to create it with, or 0 for the broker's default
 * @param configs topic-level configuration to create it with ({@code retention.ms}, {@code cleanup.policy}, ...)
 * @param producerConfig Kafka producer settings of the sinks writing the topic, over the cluster's
 * @param consumerConfig Kafka consumer settings of the sources reading the topic, over the cluster's
 * @param connectionConfig Kafka client settings of every client reaching the topic (sources, sinks,
 *     admin clients), over the cluster's; {@code bootstrap.servers} among them replaces the cluster's
 */
public record TopicSettings(
    String key,
    String name,
    String cluster,
    boolean managed,
    int partitions,
    int replicas,
    Map<String, String> configs,
    Map<String, String> producerConfig,
    Map<String, String> consumerConfig,
    Map<String, String> connectionConfig) {

  /** The cluster of topics that name none: the application's default Kafka connection. */
  public static final String DEFAULT_CLUSTER = "default";

  /** Keys whose values are never printed: passwords, JAAS configurations, PEM keys, tokens. */
  private static final Pattern SECRET = Pattern.compile("(?i).*(password|jaas|secret|credential|\\.key$|token).*");

  /** Validates and copies the settings, sorted so that descriptions come out the same every time. */
  public TopicSettings {
    Objects.requireNonNull(key, "key");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Topic " + key + " has no Kafka topic name");
    }
    cluster = cluster == null || cluster.isBlank() ? DEFAULT_CLUSTER : cluster;
    if (partitions < 0 || replicas < 0 || replicas > Short.MAX_VALUE) {
      throw new IllegalArgumentException("Topic " + key + ": partitions and replicas must be positive (or 0 for the broker's default)");
    }
    configs = Map.copyOf(configs);
    producerConfig = Map.copyOf(producerConfig);
    consumerConfig = Map.copyOf(consumerConfig);
    connectionConfig = Map.copyOf(connectionConfig);
  }

  /** A managed topic on the default cluster with the broker's defaults: what a topic without settings is. */
  public static TopicSettings defaults(String name) {
    return new TopicSettings(name, name, DEFAULT_CLUSTER, true, 0, 0, Map.of(), Map.of(), Map.of(), Map.of());
  }

  /**
   * The settings of a topic the runtime adds next to this one (a dead-letter topic): on the same
   * cluster, reached with the same connection settings, managed, with the broker's defaults.
   */
  public TopicSettings companion(String companionName) {
    return new TopicSettings(companionName, companionName, cluster, true, 0, 0, Map.of(), Map.of(), Map.of(), connectionConfig);
  }

  /** Whether the topic lives on the default cluster. */
  public boolean onDefaultCluster() {
    return DEFAULT_CLUSTER.equals(cluster);
  }

  /** Whether a Kafka client setting holds a secret that must never be printed. */
  public static boolean isSecret(String key) {
    return SECRET.matcher(key).matches();
  }

  /** The settings with secret values masked, sorted by key, for logs and descriptions. */
  public static Map<String, String> masked(Map<String, String> settings) {
    Map<String, String> shown = new TreeMap<>();
    settings.forEach((key, value) -> shown.put(key, isSecret(key) ? "******" : value));
    return shown;
  }

  /** The settings with client secrets masked: a record's own {@code toString} would print them into logs. */
  @Override
  public String toString() {
    return "TopicSettings[key=" + key + ", name=" + name + ", cluster=" + cluster + ", managed=" + managed
        + ", partitions=" + partitions + ", replicas=" + replicas + ", configs=" + new TreeMap<>(configs)
        + ", producerConfig=" + masked(producerConfig) + ", consumerConfig=" + masked(consumerConfig)
        + ", connectionConfig=" + masked(connectionConfig) + "]";
  }
}
