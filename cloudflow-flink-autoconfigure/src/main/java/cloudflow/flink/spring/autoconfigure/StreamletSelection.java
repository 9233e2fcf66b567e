package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.runtime.StreamletDefinition;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.streamlets.StreamletPort;
import cloudflow.streamlets.StreamletShape;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
      definitions.add(new StreamletDefinition(applicationId, name, portMappings(registry, properties, name), config));
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
    properties.getStreamlets().forEach((name, streamlet) -> {
      StreamletShape shape = registry.shape(name);
      if (shape == null) {
        throw new StreamletConfigurationException(
            "Property cloudflow.streamlets." + name + " names no streamlet of this application.",
            "Use one of: " + String.join(", ", registry.names()) + ".");
      }
      for (String port : streamlet.getPorts().keySet()) {
        if (shape.port(port).isEmpty()) {
          throw new StreamletConfigurationException(
              "Property cloudflow.streamlets." + name + ".ports." + port + " names no port of streamlet '" + name
                  + "'.",
              "Use one of its ports: " + portNames(shape) + ".");
        }
      }
    });
  }

  private static Map<String, String> portMappings(StreamletRegistry registry, CloudflowProperties properties, String name) {
    Map<String, String> mappings = new LinkedHashMap<>();
    CloudflowProperties.Streamlet settings = properties.getStreamlets().get(name);
    List<String> missing = new ArrayList<>();
    for (StreamletPort port : registry.shape(name).ports()) {
      CloudflowProperties.Port portSettings = settings == null ? null : settings.getPorts().get(port.name());
      if (portSettings == null || !StringUtils.hasText(portSettings.getTopic())) {
        missing.add("cloudflow.streamlets." + name + ".ports." + port.name() + ".topic");
      } else {
        mappings.put(port.name(), portSettings.getTopic());
      }
    }
    if (!missing.isEmpty()) {
      throw new StreamletConfigurationException(
          "Streamlet '" + name + "' has ports without a Kafka topic: " + String.join(", ", missing) + " not set.",
          "Set " + String.join(" and ", missing) + " to the topic each port reads from or writes to.");
    }
    return mappings;
  }

  private static String portNames(StreamletShape shape) {
    return String.join(", ", shape.ports().stream().map(StreamletPort::name).toList());
  }
}
