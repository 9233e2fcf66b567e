package cloudflow.flink.spring.streamlets;

import cloudflow.flink.plan.BadRecordHandling;
import cloudflow.flink.plan.RestoreSettings;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.plan.TopicSettings;
import cloudflow.flink.spring.config.CheckpointDirectories;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.flink.spring.properties.CloudflowProperties;
import cloudflow.streamlets.Inlet;
import cloudflow.streamlets.Outlet;
import cloudflow.streamlets.StreamletPort;
import cloudflow.streamlets.StreamletShape;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.util.StringUtils;

/**
 * Decides which streamlets this JVM runs and where their ports are connected, failing with a message
 * that names the property to set and the valid choices.
 *
 * <ul>
 *   <li>a streamlet is chosen ({@code --streamlet=name} or {@code cloudflow.streamlet}): that one;
 *   <li>none chosen and local mode on: all of them, one Flink job each;
 *   <li>none chosen and only one exists: that one;
 *   <li>otherwise: a startup error listing the names.
 * </ul>
 */
public final class StreamletSelection {

  private StreamletSelection() {}

  /** The definitions of the streamlets to run, in registry order. */
  public static List<StreamletDefinition> select(
      StreamletRegistry registry, CloudflowProperties properties, boolean local, String applicationId, Config config) {
    if (registry.isEmpty()) {
      throw new StreamletConfigurationException(
          "No streamlets found: the application context has no FlinkStreamlet beans.",
          "Declare each streamlet as a Spring bean, for example annotate your FlinkStreamlet subclass with "
              + "@Component(\"name\") in a package that component scanning covers.");
    }
    checkConfiguredNames(registry, properties);
    List<String> names = selectedNames(registry, properties.getStreamlet(), local);
    List<StreamletDefinition> definitions = new ArrayList<>();
    for (String name : names) {
      CloudflowProperties.Streamlet settings = settingsFor(properties, name);
      Map<String, String> parameterValues = settings == null ? Map.of() : settings.getConfigParameters();
      Config streamletConfig = ConfigParameterValues.apply(name, registry.streamlet(name), parameterValues, config);
      Map<String, String> topics = portMappings(registry, settings, name);
      definitions.add(new StreamletDefinition(
          applicationId,
          name,
          topics,
          streamletConfig,
          settings != null && settings.getDeliveryGuarantee() != null
              ? settings.getDeliveryGuarantee()
              : properties.getDeliveryGuarantee(),
          badRecords(registry.shape(name), settings, topics),
          settings == null ? Map.of() : jobSettings(settings),
          restore(properties, settings),
          topicSettings(registry, topics)));
    }
    return definitions;
  }

  private static List<String> selectedNames(StreamletRegistry registry, String chosen, boolean local) {
    if (StringUtils.hasText(chosen)) {
      if (registry.streamlet(chosen) == null) {
        throw new StreamletConfigurationException(
            "Unknown streamlet '" + chosen + "' (set by --streamlet or cloudflow.streamlet).",
            "Choose one of the streamlets of this application: " + String.join(", ", registry.names()) + ".");
      }
      return List.of(chosen);
    }
    if (local || registry.names().size() == 1) {
      return List.copyOf(registry.names());
    }
    throw new StreamletConfigurationException(
        "No streamlet chosen: this application has " + registry.names().size() + " streamlets ("
            + String.join(", ", registry.names()) + ") and runs one per process.",
        "Start it with --streamlet=<name> (or set cloudflow.streamlet), choosing one of: "
            + String.join(", ", registry.names())
            + ". To run all of them in this JVM, activate the 'local' profile or set cloudflow.local=true.");
  }

  private static void checkConfiguredNames(StreamletRegistry registry, CloudflowProperties properties) {
    properties.getStreamlets().forEach((key, streamlet) -> {
      String name = registry.names().stream().filter(n -> normalize(n).equals(normalize(key))).findFirst().orElse(null);
      if (name == null) {
        throw new StreamletConfigurationException(
            "Property cloudflow.streamlets." + key + " names no streamlet of this application.",
            "Use one of: " + String.join(", ", registry.names()) + ".");
      }
      StreamletShape shape = registry.shape(name);
      for (String port : streamlet.getPorts().keySet()) {
        if (shape.port(port).isEmpty()) {
          throw new StreamletConfigurationException(
              "Property cloudflow.streamlets." + key + ".ports." + port + " names no port of streamlet '" + name
                  + "'.",
              "Use one of its ports: " + portNames(shape) + ".");
        }
      }
    });
  }

  /**
   * The properties of a streamlet. Names are matched ignoring case, '-' and '_', because environment
   * variables (CLOUDFLOW_STREAMLETS_SENSORINGRESS_...) cannot spell 'sensor-ingress' or 'sensorIngress'.
   */
  static CloudflowProperties.Streamlet settingsFor(CloudflowProperties properties, String name) {
    CloudflowProperties.Streamlet exact = properties.getStreamlets().get(name);
    if (exact != null) {
      return exact;
    }
    return properties.getStreamlets().entrySet().stream()
        .filter(e -> normalize(e.getKey()).equals(normalize(name)))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  /** A name as relaxed binding sees it: lowercase, without '-' and '_'. */
  public static String normalize(String name) {
    return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  /**
   * The topic of each port: the blueprint's, overridden by port properties. Every port needs one,
   * except outlets of a blueprint streamlet, which the blueprint verification allows to stay
   * unconnected (with a warning) and whose records are then dropped.
   */
  private static Map<String, String> portMappings(
      StreamletRegistry registry, CloudflowProperties.Streamlet settings, String name) {
    Map<String, String> mappings = new LinkedHashMap<>(registry.blueprintPortMappings(name));
    if (settings != null) {
      settings.getPorts().forEach((port, portSettings) -> {
        if (StringUtils.hasText(portSettings.getTopic())) {
          mappings.put(port, portSettings.getTopic());
        }
      });
    }
    boolean outletsOptional = registry.blueprint().isPresent();
    List<String> missing = new ArrayList<>();
    for (StreamletPort port : registry.shape(name).ports()) {
      if (!mappings.containsKey(port.name()) && !(outletsOptional && port instanceof Outlet)) {
        missing.add("cloudflow.streamlets." + name + ".ports." + port.name() + ".topic");
      }
    }
    if (!missing.isEmpty()) {
      throw new StreamletConfigurationException(
          "Streamlet '" + name + "' has ports without a Kafka topic: " + String.join(", ", missing) + " not set.",
          "Set " + String.join(" and ", missing) + " to the topic each port reads from or writes to"
              + (outletsOptional ? ", or connect the port in the blueprint." : "."));
    }
    return mappings;
  }

  /** The blueprint's settings of the streamlet's topics; a topic only named by a port property has the defaults. */
  private static Map<String, TopicSettings> topicSettings(StreamletRegistry registry, Map<String, String> topics) {
    Map<String, TopicSettings> settings = new LinkedHashMap<>();
    registry.blueprint().ifPresent(blueprint -> {
      Map<String, TopicSettings> all = blueprint.topicSettings();
      topics.values().stream().filter(all::containsKey).forEach(topic -> settings.put(topic, all.get(topic)));
    });
    return settings;
  }

  /** The Flink settings of one streamlet's job: its checkpointing and parallelism. */
  private static Map<String, String> jobSettings(CloudflowProperties.Streamlet settings) {
    Map<String, String> flink = new LinkedHashMap<>(settings.getCheckpointing().toFlinkSettings());
    if (settings.getParallelism() != null) {
      flink.put("parallelism.default", String.valueOf(settings.getParallelism()));
    }
    return CheckpointDirectories.normalize(flink);
  }

  /** Where the streamlet's job starts from: its own restore-from, else its newest checkpoint unless that is off. */
  private static RestoreSettings restore(CloudflowProperties properties, CloudflowProperties.Streamlet settings) {
    boolean resumeFromNewest = settings != null && !settings.getCheckpointing().isResumeFromNewest()
        ? false
        : properties.getCheckpointing().isResumeFromNewest();
    return settings == null
        ? new RestoreSettings(null, false, resumeFromNewest)
        : new RestoreSettings(settings.getRestoreFrom(), settings.isAllowNonRestoredState(), resumeFromNewest);
  }

  /** The bad-record handling of each inlet; dead letters go to '<topic>.dead-letter' unless set. */
  private static Map<String, BadRecordHandling> badRecords(
      StreamletShape shape, CloudflowProperties.Streamlet settings, Map<String, String> topics) {
    Map<String, BadRecordHandling> handling = new LinkedHashMap<>();
    if (settings == null) {
      return handling;
    }
    for (Inlet inlet : shape.inlets()) {
      CloudflowProperties.Port port = settings.getPorts().get(inlet.name());
      if (port != null) {
        String deadLetterTopic = StringUtils.hasText(port.getDeadLetterTopic())
            ? port.getDeadLetterTopic()
            : topics.get(inlet.name()) + ".dead-letter";
        handling.put(inlet.name(), new BadRecordHandling(port.getBadRecords(), deadLetterTopic));
      }
    }
    return handling;
  }

  private static String portNames(StreamletShape shape) {
    return String.join(", ", shape.ports().stream().map(StreamletPort::name).toList());
  }
}
