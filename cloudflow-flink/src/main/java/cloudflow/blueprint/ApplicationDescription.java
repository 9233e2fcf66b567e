package cloudflow.blueprint;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.Inlet;
import cloudflow.streamlets.SchemaDefinition;
import cloudflow.streamlets.StreamletPort;
import cloudflow.streamlets.StreamletShape;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import cloudflow.flink.plan.TopicSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What an application is made of, for people and tools: every streamlet with its class, ports,
 * schemas, config parameters and the topic each port is connected to, and every topic with its
 * settings (cluster, managed, partitions, replicas, topic configs, client settings with secrets
 * masked). Reads shapes only.
 */
public final class ApplicationDescription {

  private final List<Map<String, Object>> streamlets = new ArrayList<>();
  private final List<Map<String, Object>> topics = new ArrayList<>();

  /**
   * Describes streamlets by name.
   *
   * @param streamlets the streamlets, by name in the application
   * @param topicsOf the topic of each port of a streamlet, by port name
   */
  public ApplicationDescription(Map<String, FlinkStreamlet> streamlets, Function<String, Map<String, String>> topicsOf) {
    this(streamlets, topicsOf, List.of());
  }

  /**
   * Describes streamlets by name and the blueprint's topics with their settings (client secrets masked).
   *
   * @param streamlets the streamlets, by name in the application
   * @param topicsOf the topic of each port of a streamlet, by port name
   * @param topics the blueprint's topics
   */
  public ApplicationDescription(
      Map<String, FlinkStreamlet> streamlets, Function<String, Map<String, String>> topicsOf, Collection<Blueprint.Topic> topics) {
    streamlets.forEach((name, streamlet) -> this.streamlets.add(describe(name, streamlet, topicsOf.apply(name))));
    topics.forEach(topic -> this.topics.add(describe(topic)));
  }

  private static Map<String, Object> describe(Blueprint.Topic topic) {
    TopicSettings settings = topic.settings();
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("key", topic.key());
    description.put("name", settings.name());
    description.put("cluster", settings.cluster());
    description.put("managed", settings.managed());
    description.put("partitions", settings.partitions());
    description.put("replicas", settings.replicas());
    description.put("producers", topic.producers());
    description.put("consumers", topic.consumers());
    description.put("topicConfigs", new TreeMap<>(settings.configs()));
    description.put("producerConfig", TopicSettings.masked(settings.producerConfig()));
    description.put("consumerConfig", TopicSettings.masked(settings.consumerConfig()));
    description.put("connectionConfig", TopicSettings.masked(settings.connectionConfig()));
    return description;
  }

  private static Map<String, Object> describe(String name, FlinkStreamlet streamlet, Map<String, String> topics) {
    StreamletShape shape = streamlet.shape();
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("name", name);
    description.put("class", streamlet.getClass().getName());
    if (!streamlet.description().isEmpty()) {
      description.put("description", streamlet.description());
    }
    description.put("inlets", shape.inlets().stream().map(p -> port(p, topics)).toList());
    description.put("outlets", shape.outlets().stream().map(p -> port(p, topics)).toList());
    List<Map<String, Object>> parameters = new ArrayList<>();
    for (ConfigParameter<?> parameter : streamlet.defineConfigParams()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("key", parameter.key());
      p.put("type", parameter.type());
      p.put("description", parameter.description());
      parameter.defaultValue().ifPresent(v -> p.put("default", v));
      parameter.pattern().ifPresent(v -> p.put("pattern", v));
      p.put("property", "cloudflow.streamlets." + name + ".config-parameters." + parameter.key());
      parameters.add(p);
    }
    description.put("configParameters", parameters);
    return description;
  }

  private static Map<String, Object> port(StreamletPort port, Map<String, String> topics) {
    SchemaDefinition schema = port.schemaDefinition();
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("name", port.name());
    description.put("topic", topics.getOrDefault(port.name(), ""));
    Map<String, Object> schemaDescription = new LinkedHashMap<>();
    schemaDescription.put("name", schema.name());
    schemaDescription.put("format", schema.format());
    schemaDescription.put("fingerprint", schema.fingerprint());
    // an Avro schema as a JSON value, not as an escaped string; a Protobuf descriptor (text format) as text
    schemaDescription.put("schema", "avro".equals(schema.format())
        ? ConfigFactory.parseString("s = " + schema.schema()).getValue("s").unwrapped()
        : schema.schema());
    description.put("schema", schemaDescription);
    description.put("kind", port instanceof Inlet ? "inlet" : "outlet");
    return description;
  }

  /** The description as JSON: {@code {"streamlets": [...]}}. */
  public String toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("streamlets", streamlets);
    json.put("topics", topics);
    return ConfigValueFactory.fromMap(json).render(ConfigRenderOptions.concise());
  }

  /** The description as indented text. */
  @SuppressWarnings("unchecked")
  public String toText() {
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> streamlet : streamlets) {
      text.append("streamlet ").append(streamlet.get("name")).append(" (").append(streamlet.get("class")).append(")\n");
      if (streamlet.containsKey("description")) {
        text.append("  ").append(streamlet.get("description")).append('\n');
      }
      for (String kind : List.of("inlets", "outlets")) {
        for (Map<String, Object> port : (List<Map<String, Object>>) streamlet.get(kind)) {
          Map<String, Object> schema = (Map<String, Object>) port.get("schema");
          String topic = (String) port.get("topic");
          text.append(String.format("  %-6s %-12s %s (%s %s)  topic: %s%n", port.get("kind"), port.get("name"),
              schema.get("name"), schema.get("format"), schema.get("fingerprint"), topic.isEmpty() ? "(none)" : topic));
        }
      }
      for (Map<String, Object> parameter : (List<Map<String, Object>>) streamlet.get("configParameters")) {
        text.append(String.format("  config %-12s %s%s: %s%n  %7s %s%n", parameter.get("key"), parameter.get("type"),
            parameter.containsKey("default") ? ", default " + parameter.get("default") : ", required",
            parameter.get("description"), "", parameter.get("property")));
      }
    }
    for (Map<String, Object> topic : topics) {
      text.append(String.format("topic %s (kafka topic %s on cluster %s, %s, partitions %s, replicas %s)%n", topic.get("key"),
          topic.get("name"), topic.get("cluster"), (Boolean) topic.get("managed") ? "managed" : "unmanaged",
          orDefault(topic.get("partitions")), orDefault(topic.get("replicas"))));
      for (String settings : List.of("topicConfigs", "producerConfig", "consumerConfig", "connectionConfig")) {
        Map<String, Object> values = (Map<String, Object>) topic.get(settings);
        if (!values.isEmpty()) {
          text.append(String.format("  %-16s %s%n", settings, values));
        }
      }
    }
    return text.toString();
  }

  private static String orDefault(Object count) {
    return Integer.valueOf(0).equals(count) ? "broker default" : String.valueOf(count);
  }
}
