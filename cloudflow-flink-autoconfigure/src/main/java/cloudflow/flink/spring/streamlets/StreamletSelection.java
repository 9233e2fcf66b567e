package cloudflow.flink.spring.streamlets;

import cloudflow.flink.plan.InvalidStreamletPlanException;
import cloudflow.flink.plan.PlanRequest;
import cloudflow.flink.plan.SettingNames;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.plan.StreamletPlanner;
import cloudflow.flink.spring.config.CheckpointDirectories;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.flink.spring.properties.CloudflowProperties;
import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the {@code cloudflow.*} properties to the core's {@link PlanRequest} and lets the core's
 * {@link StreamletPlanner} decide which streamlets this JVM runs and where their ports are connected;
 * its failures name the properties to set ({@link #PROPERTY_NAMES}) and become
 * {@link StreamletConfigurationException}s, which the failure analyzer prints.
 */
public final class StreamletSelection {

  /** How this starter spells the planner's settings: as {@code cloudflow.*} properties. */
  public static final SettingNames PROPERTY_NAMES = new SettingNames() {
    @Override
    public String of(String path) {
      return "cloudflow." + path;
    }

    @Override
    public String kind() {
      return "property";
    }

    @Override
    public String chosenBy() {
      return "--streamlet or cloudflow.streamlet";
    }

    @Override
    public String chooseStreamlet() {
      return "--streamlet=<name> (or set cloudflow.streamlet)";
    }

    @Override
    public String runAll() {
      return "activate the 'local' profile or set cloudflow.local=true";
    }

    @Override
    public String whereValuesAreSet() {
      return "(in application.yml, as an environment variable or on the command line)";
    }
  };

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
    try {
      return StreamletPlanner.plan(request(properties, local, applicationId), registry, config, PROPERTY_NAMES);
    } catch (InvalidStreamletPlanException e) {
      throw new StreamletConfigurationException(e.getMessage(), e.action(), e);
    }
  }

  /** What the properties ask for, as the core's plan request. */
  static PlanRequest request(CloudflowProperties properties, boolean local, String applicationId) {
    Map<String, PlanRequest.Streamlet> streamlets = new LinkedHashMap<>();
    properties.getStreamlets().forEach((name, settings) -> streamlets.put(name, streamlet(settings)));
    return new PlanRequest(applicationId, properties.getStreamlet(), local, properties.getDeliveryGuarantee(),
        properties.getCheckpointing().isResumeFromNewest(), streamlets);
  }

  private static PlanRequest.Streamlet streamlet(CloudflowProperties.Streamlet settings) {
    Map<String, PlanRequest.Port> ports = new LinkedHashMap<>();
    settings.getPorts().forEach((port, portSettings) -> ports.put(port,
        new PlanRequest.Port(portSettings.getTopic(), portSettings.getBadRecords(), portSettings.getDeadLetterTopic())));
    return new PlanRequest.Streamlet(ports, settings.getConfigParameters(), settings.getDeliveryGuarantee(),
        jobSettings(settings), settings.getCheckpointing().isResumeFromNewest(), settings.getRestoreFrom(),
        settings.isAllowNonRestoredState());
  }

  /** The properties of a streamlet, matched as the planner matches names. */
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
    return StreamletPlanner.relaxed(name);
  }

  /** The Flink settings of one streamlet's job: its checkpointing and parallelism. */
  private static Map<String, String> jobSettings(CloudflowProperties.Streamlet settings) {
    Map<String, String> flink = new LinkedHashMap<>(settings.getCheckpointing().toFlinkSettings());
    if (settings.getParallelism() != null) {
      flink.put("parallelism.default", String.valueOf(settings.getParallelism()));
    }
    return CheckpointDirectories.normalize(flink);
  }
}
