package cloudflow.blueprint;

import cloudflow.flink.plan.TopicSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An application: streamlets by name, and topics that connect outlets to inlets. Same structure as
 * Cloudflow's {@code blueprint.conf}:
 *
 * <pre>
 * blueprint {
 *   streamlets {
 *     ingress = ingress                                  # a bean name
 *     processor = sensors.streamlets.SensorStatsProcessor  # or a class name
 *   }
 *   topics {
 *     sensor-readings {
 *       producers = [ingress.out]
 *       consumers = [processor.in]
 *       # optional: topic.name = "other-kafka-name", partitions = 3, replicas = 1, external = true
 *     }
 *   }
 * }
 * </pre>
 *
 * @param streamlets streamlet name → bean name or class name, sorted by name
 * @param topics topic key → topic, sorted by key
 */
public record Blueprint(Map<String, String> streamlets, Map<String, Topic> topics) {

  /** Copies the maps, sorted so that reports and mappings come out in the same order every time. */
  public Blueprint {
    streamlets = Collections.unmodifiableMap(new TreeMap<>(streamlets));
    topics = Collections.unmodifiableMap(new TreeMap<>(topics));
  }

  /**
   * A topic of the blueprint.
   *
   * @param key the topic's key in the blueprint
   * @param producers outlets writing to it, as {@code streamlet.port}
   * @param consumers inlets reading from it, as {@code streamlet.port}
   * @param external whether the topic is also written or read outside this blueprint, so a topic
   *     without producers or without consumers is intended
   * @param settings how it is created and reached: Kafka name, cluster, managed, partitions,
   *     replicas, topic configs, client settings
   */
  public record Topic(
      String key, List<String> producers, List<String> consumers, boolean external, TopicSettings settings) {

    /** Copies the lists. */
    public Topic {
      producers = List.copyOf(producers);
      consumers = List.copyOf(consumers);
      java.util.Objects.requireNonNull(settings, "settings");
    }

    /**
     * A managed topic on the default cluster.
     *
     * @param key the topic's key in the blueprint
     * @param kafkaName the Kafka topic name ({@code topic.name}, the key by default)
     * @param producers outlets writing to it, as {@code streamlet.port}
     * @param consumers inlets reading from it, as {@code streamlet.port}
     * @param external whether the topic is also written or read outside this blueprint
     * @param partitions partitions to create it with, or 0 for the broker's default
     * @param replicas replicas to create it with, or 0 for the broker's default
     */
    public Topic(String key, String kafkaName, List<String> producers, List<String> consumers, boolean external,
        int partitions, int replicas) {
      this(key, producers, consumers, external, new TopicSettings(key, kafkaName, TopicSettings.DEFAULT_CLUSTER, true,
          partitions, replicas, Map.of(), Map.of(), Map.of(), Map.of()));
    }

    /** The Kafka topic name ({@code topic.name}, the key by default). */
    public String kafkaName() {
      return settings.name();
    }

    /** Partitions to create it with, or 0 for the broker's default. */
    public int partitions() {
      return settings.partitions();
    }

    /** Replicas to create it with, or 0 for the broker's default. */
    public int replicas() {
      return settings.replicas();
    }
  }

  /** Whether a configuration has a blueprint at {@code path}. */
  public static boolean isDefinedIn(Config config, String path) {
    return config.hasPath(path) && config.getValue(path).valueType() == ConfigValueType.OBJECT;
  }

  /** Reads the blueprint at {@code path} (usually {@code blueprint}) of a configuration. */
  public static Blueprint fromConfig(Config config, String path) {
    if (!isDefinedIn(config, path)) {
      throw new BlueprintException("No blueprint at '" + path + "' in " + config.origin().description());
    }
    Config blueprint = config.getConfig(path);
    Map<String, String> streamlets = new LinkedHashMap<>();
    if (blueprint.hasPath("streamlets")) {
      blueprint.getObject("streamlets").forEach((ref, value) -> streamlets.put(ref, unwrapString(value, path + ".streamlets." + ref)));
    }
    Map<String, Topic> topics = new LinkedHashMap<>();
    if (blueprint.hasPath("topics")) {
      blueprint.getObject("topics").forEach((key, value) -> topics.put(key, topic(key, value, path + ".topics." + key)));
    }
    return new Blueprint(streamlets, topics);
  }

  /** Parses a blueprint from HOCON text. */
  public static Blueprint parse(String hocon) {
    return fromConfig(ConfigFactory.parseString(hocon).resolve(), "blueprint");
  }

  /** Reads a blueprint file. */
  public static Blueprint load(Path file) {
    try {
      Config config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      return fromConfig(config.resolve(), "blueprint");
    } catch (ConfigException e) {
      throw new BlueprintException("Cannot read blueprint " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a blueprint resource from the class path. */
  public static Blueprint loadResource(String resource, ClassLoader classLoader) {
    try {
      Config config =
          ConfigFactory.parseResources(classLoader, resource, ConfigParseOptions.defaults().setAllowMissing(false));
      return fromConfig(config.resolve(), "blueprint");
    } catch (ConfigException e) {
      throw new BlueprintException("Cannot read blueprint resource " + resource + ": " + e.getMessage(), e);
    }
  }

  /**
   * The Kafka topic of each port of a streamlet that the blueprint connects, by port name. A port
   * connected to several topics (an error the verifier reports) maps to the first.
   */
  public Map<String, String> portMappings(String streamletRef) {
    Map<String, String> mappings = new LinkedHashMap<>();
    for (Topic topic : topics.values()) {
      List<String> ports = new ArrayList<>(topic.producers());
      ports.addAll(topic.consumers());
      for (String portRef : ports) {
        int dot = portRef.indexOf('.');
        if (dot > 0 && portRef.substring(0, dot).equals(streamletRef)) {
          mappings.putIfAbsent(portRef.substring(dot + 1), topic.kafkaName());
        }
      }
    }
    return mappings;
  }

  /** The settings of every topic, by Kafka topic name (the first topic of a name wins). */
  public Map<String, TopicSettings> topicSettings() {
    Map<String, TopicSettings> settings = new LinkedHashMap<>();
    topics.values().forEach(topic -> settings.putIfAbsent(topic.kafkaName(), topic.settings()));
    return settings;
  }

  private static Topic topic(String key, ConfigValue value, String path) {
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw new BlueprintException(path + " must be an object with producers and consumers");
    }
    Config topic = ((ConfigObject) value).toConfig();
    try {
      // Cloudflow's keys: topic.name and the topic-level configs share the "topic" object
      Map<String, String> topicConfigs = flatten(topic, "topic");
      String kafkaName = topicConfigs.containsKey("name") ? topicConfigs.remove("name") : key;
      Map<String, String> connection = flatten(topic, "connection-config");
      if (topic.hasPath("bootstrap.servers")) {
        connection.putIfAbsent("bootstrap.servers", topic.getString("bootstrap.servers"));
      }
      TopicSettings settings = new TopicSettings(
          key,
          kafkaName,
          topic.hasPath("cluster") ? topic.getString("cluster") : TopicSettings.DEFAULT_CLUSTER,
          !topic.hasPath("managed") || topic.getBoolean("managed"),
          topic.hasPath("partitions") ? topic.getInt("partitions") : 0,
          topic.hasPath("replicas") ? topic.getInt("replicas") : 0,
          topicConfigs,
          flatten(topic, "producer-config"),
          flatten(topic, "consumer-config"),
          connection);
      return new Topic(
          key,
          topic.hasPath("producers") ? topic.getStringList("producers") : List.of(),
          topic.hasPath("consumers") ? topic.getStringList("consumers") : List.of(),
          topic.hasPath("external") && topic.getBoolean("external"),
          settings);
    } catch (ConfigException | IllegalArgumentException e) {
      throw new BlueprintException("Invalid topic " + path + ": " + e.getMessage(), e);
    }
  }

  /** The settings under {@code path} as Kafka-style dotted keys ({@code retention.ms}); lists joined with commas. */
  private static Map<String, String> flatten(Config config, String path) {
    Map<String, String> settings = new TreeMap<>();
    if (!config.hasPath(path)) {
      return settings;
    }
    if (config.getValue(path).valueType() != ConfigValueType.OBJECT) {
      throw new ConfigException.WrongType(config.getValue(path).origin(), path, "object", config.getValue(path).valueType().name());
    }
    for (Map.Entry<String, ConfigValue> entry : config.getConfig(path).entrySet()) {
      Object value = entry.getValue().unwrapped();
      settings.put(entry.getKey(), value instanceof List<?> list
          ? String.join(",", list.stream().map(String::valueOf).toList())
          : String.valueOf(value));
    }
    return settings;
  }

  private static String unwrapString(ConfigValue value, String path) {
    if (value.valueType() != ConfigValueType.STRING) {
      throw new BlueprintException(path + " must be a bean name or a class name");
    }
    return (String) value.unwrapped();
  }
}
