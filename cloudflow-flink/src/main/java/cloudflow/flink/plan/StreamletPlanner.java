package cloudflow.flink.plan;

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
import java.util.Set;

/**
 * Turns what an application asks for ({@link PlanRequest}) and its streamlets ({@link StreamletCatalog})
 * into checked {@link StreamletDefinition}s, the runner's input, failing with an
 * {@link InvalidStreamletPlanException} that names the setting to change and the valid choices.
 *
 * <ul>
 *   <li>a streamlet is chosen: that one; none chosen and {@code runAll}: all of them, one job each;
 *       none chosen and only one exists: that one; otherwise a failure listing the names;
 *   <li>every configured streamlet and port exists;
 *   <li>every port has a topic (the blueprint's, or a setting's over it), except outlets a blueprint
 *       leaves unconnected, whose records are dropped;
 *   <li>config parameter values are complete and valid ({@link ConfigParameterValues});
 *   <li>delivery guarantee, bad-record handling, the job's own Flink settings and the restore choice.
 * </ul>
 */
public final class StreamletPlanner {

  private StreamletPlanner() {}

  /**
   * The definitions of the streamlets to run, in catalog order.
   *
   * @param request what the application asks for
   * @param catalog the application's streamlets
   * @param config the application's configuration (the logic's {@code config()})
   * @param names how the front end names the settings in messages
   * @throws InvalidStreamletPlanException when the request does not fit the streamlets
   */
  public static List<StreamletDefinition> plan(
      PlanRequest request, StreamletCatalog catalog, Config config, SettingNames names) {
    if (catalog.names().isEmpty()) {
      throw new InvalidStreamletPlanException("The application has no streamlets.", "Add streamlets to the application.");
    }
    checkConfiguredNames(request, catalog, names);
    List<StreamletDefinition> definitions = new ArrayList<>();
    for (String name : selectedNames(request, catalog, names)) {
      PlanRequest.Streamlet settings = settingsFor(request, name);
      Map<String, String> parameterValues = settings == null ? Map.of() : settings.configParameters();
      Config streamletConfig = ConfigParameterValues.apply(name, catalog.streamlet(name), parameterValues, config, names);
      Map<String, String> topics = portMappings(catalog, settings, name, names);
      definitions.add(new StreamletDefinition(
          request.applicationId(),
          name,
          topics,
          streamletConfig,
          settings != null && settings.deliveryGuarantee() != null ? settings.deliveryGuarantee() : request.deliveryGuarantee(),
          badRecords(catalog.shape(name), settings, topics),
          settings == null ? Map.of() : settings.flinkSettings(),
          restore(request, settings),
          topicSettings(catalog, topics)));
    }
    return definitions;
  }

  /**
   * A name as relaxed binding sees it: lowercase, without '-' and '_'. Names are matched this way
   * because environment variables (CLOUDFLOW_STREAMLETS_SENSORINGRESS_...) cannot spell
   * 'sensor-ingress' or 'sensorIngress'.
   */
  public static String relaxed(String name) {
    return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  /** The settings of a streamlet, its name matched exactly first, then {@linkplain #relaxed relaxed}. */
  public static PlanRequest.Streamlet settingsFor(PlanRequest request, String name) {
    PlanRequest.Streamlet exact = request.streamlets().get(name);
    if (exact != null) {
      return exact;
    }
    return request.streamlets().entrySet().stream()
        .filter(e -> relaxed(e.getKey()).equals(relaxed(name)))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private static List<String> selectedNames(PlanRequest request, StreamletCatalog catalog, SettingNames names) {
    return selectedNames(request.chosenStreamlet(), request.runAll(), catalog.names(), names);
  }

  /**
   * Which streamlets run, from their names alone: the chosen one, or all of them when asked to (or
   * when there is only one). Lets an application refuse an unknown or missing choice before it
   * creates any streamlet or starts anything heavy; {@link #plan} decides the same way.
   *
   * @param chosen the streamlet chosen to run, or null/blank for none
   * @param runAll whether all streamlets run in this JVM when none is chosen
   * @param streamlets the names of the application's streamlets, in the order they run in
   * @param names how the caller spells the settings, for the messages
   * @throws InvalidStreamletPlanException when the chosen streamlet does not exist, or none is chosen
   *     among several and not all run
   */
  public static List<String> selectedNames(String chosen, boolean runAll, Set<String> streamlets, SettingNames names) {
    if (chosen != null && !chosen.isBlank()) {
      if (!streamlets.contains(chosen)) {
        throw new InvalidStreamletPlanException(
            "Unknown streamlet '" + chosen + "' (set by " + names.chosenBy() + ").",
            "Choose one of the streamlets of this application: " + String.join(", ", streamlets) + ".");
      }
      return List.of(chosen);
    }
    if (runAll || streamlets.size() == 1) {
      return List.copyOf(streamlets);
    }
    throw new InvalidStreamletPlanException(
        "No streamlet chosen: this application has " + streamlets.size() + " streamlets ("
            + String.join(", ", streamlets) + ") and runs one per process.",
        "Start it with " + names.chooseStreamlet() + ", choosing one of: " + String.join(", ", streamlets)
            + ". To run all of them in this JVM, " + names.runAll() + ".");
  }

  private static void checkConfiguredNames(PlanRequest request, StreamletCatalog catalog, SettingNames names) {
    request.streamlets().forEach((key, streamlet) -> {
      String name = catalog.names().stream().filter(n -> relaxed(n).equals(relaxed(key))).findFirst().orElse(null);
      if (name == null) {
        throw new InvalidStreamletPlanException(
            capitalized(names.kind()) + " " + names.of("streamlets." + key) + " names no streamlet of this application.",
            "Use one of: " + String.join(", ", catalog.names()) + ".");
      }
      StreamletShape shape = catalog.shape(name);
      for (String port : streamlet.ports().keySet()) {
        if (shape.port(port).isEmpty()) {
          throw new InvalidStreamletPlanException(
              capitalized(names.kind()) + " " + names.of("streamlets." + key + ".ports." + port)
                  + " names no port of streamlet '" + name + "'.",
              "Use one of its ports: " + String.join(", ", shape.ports().stream().map(StreamletPort::name).toList()) + ".");
        }
      }
    });
  }

  /**
   * The topic of each port: the blueprint's, overridden by port settings. Every port needs one,
   * except outlets of a blueprint streamlet, which the blueprint verification allows to stay
   * unconnected (with a warning) and whose records are then dropped.
   */
  private static Map<String, String> portMappings(
      StreamletCatalog catalog, PlanRequest.Streamlet settings, String name, SettingNames names) {
    Map<String, String> mappings = new LinkedHashMap<>(catalog.blueprintPortMappings(name));
    if (settings != null) {
      settings.ports().forEach((port, portSettings) -> {
        if (portSettings.topic() != null && !portSettings.topic().isBlank()) {
          mappings.put(port, portSettings.topic());
        }
      });
    }
    boolean outletsOptional = catalog.hasBlueprint();
    List<String> missing = new ArrayList<>();
    for (StreamletPort port : catalog.shape(name).ports()) {
      if (!mappings.containsKey(port.name()) && !(outletsOptional && port instanceof Outlet)) {
        missing.add(names.of("streamlets." + name + ".ports." + port.name() + ".topic"));
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidStreamletPlanException(
          "Streamlet '" + name + "' has ports without a Kafka topic: " + String.join(", ", missing) + " not set.",
          "Set " + String.join(" and ", missing) + " to the topic each port reads from or writes to"
              + (outletsOptional ? ", or connect the port in the blueprint." : "."));
    }
    return mappings;
  }

  /** The blueprint's settings of the topics the streamlet's ports use, by topic name. */
  private static Map<String, TopicSettings> topicSettings(StreamletCatalog catalog, Map<String, String> topics) {
    Map<String, TopicSettings> all = catalog.blueprintTopicSettings();
    Map<String, TopicSettings> settings = new LinkedHashMap<>();
    topics.values().stream().filter(all::containsKey).forEach(topic -> settings.put(topic, all.get(topic)));
    return settings;
  }

  /** Where the streamlet's job starts from: its own restore-from, else its newest checkpoint unless that is off. */
  private static RestoreSettings restore(PlanRequest request, PlanRequest.Streamlet settings) {
    boolean resumeFromNewest = request.resumeFromNewest() && (settings == null || settings.resumeFromNewest());
    return settings == null
        ? new RestoreSettings(null, false, resumeFromNewest)
        : new RestoreSettings(settings.restoreFrom(), settings.allowNonRestoredState(), resumeFromNewest);
  }

  /** The bad-record handling of each inlet with settings; dead letters go to '<topic>.dead-letter' unless set. */
  private static Map<String, BadRecordHandling> badRecords(
      StreamletShape shape, PlanRequest.Streamlet settings, Map<String, String> topics) {
    Map<String, BadRecordHandling> handling = new LinkedHashMap<>();
    if (settings == null) {
      return handling;
    }
    for (Inlet inlet : shape.inlets()) {
      PlanRequest.Port port = settings.ports().get(inlet.name());
      if (port != null) {
        String deadLetterTopic = port.deadLetterTopic() != null && !port.deadLetterTopic().isBlank()
            ? port.deadLetterTopic()
            : topics.get(inlet.name()) + ".dead-letter";
        handling.put(inlet.name(), new BadRecordHandling(port.badRecords(), deadLetterTopic));
      }
    }
    return handling;
  }

  private static String capitalized(String word) {
    return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
