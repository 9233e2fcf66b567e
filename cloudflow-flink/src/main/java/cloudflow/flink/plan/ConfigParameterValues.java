package cloudflow.flink.plan;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.streamlets.ConfigParameter;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Puts a streamlet's config parameter values into the configuration it runs with, and checks them
 * before it runs. Values set as {@code cloudflow.streamlets.<name>.config-parameters.<key>} in
 * application.yml or on the command line are already in the configuration; values from environment
 * variables arrive through relaxed binding (Spring's) with their dashes lost, so they are matched to
 * the declared keys ignoring case, '-' and '_'.
 */
public final class ConfigParameterValues {

  private ConfigParameterValues() {}

  /**
   * The configuration with the streamlet's parameter values in place.
   *
   * @param streamletRef the streamlet's name
   * @param streamlet the streamlet, which declares its parameters
   * @param boundValues values set apart from the configuration (bound properties), by key
   * @param config the application's configuration
   * @param names how the front end names settings and where it takes values from
   * @throws InvalidStreamletPlanException naming every missing or invalid value's setting
   */
  public static Config apply(
      String streamletRef, FlinkStreamlet streamlet, Map<String, String> boundValues, Config config, SettingNames names) {
    ConfigParameter<?>[] parameters = streamlet.defineConfigParams();
    if (parameters.length == 0 && boundValues.isEmpty()) {
      return config;
    }
    String path = FlinkStreamletContext.configParametersPath(streamletRef);
    Map<String, String> byNormalizedKey = new HashMap<>();
    boundValues.forEach((key, value) -> byNormalizedKey.put(StreamletPlanner.relaxed(key), value));
    Map<String, Object> values = new HashMap<>();
    for (ConfigParameter<?> parameter : parameters) {
      String bound = byNormalizedKey.get(StreamletPlanner.relaxed(parameter.key()));
      String keyPath = ConfigUtil.joinPath(parameter.key());
      boolean inConfig = config.hasPath(path) && config.getConfig(path).hasPath(keyPath);
      if (bound != null && !inConfig) {
        values.put(path + "." + keyPath, bound);
      }
    }
    Config withValues = ConfigFactory.parseMap(values, "config parameters from properties").withFallback(config);
    Config streamletConfig = withValues.hasPath(path) ? withValues.getConfig(path) : ConfigFactory.empty();
    List<String> problems = new ArrayList<>(ConfigParameter.problems(parameters, streamletRef, streamletConfig));
    problems.addAll(undeclared(streamletRef, parameters, boundValues, names));
    if (!problems.isEmpty()) {
      throw new InvalidStreamletPlanException(
          "Streamlet '" + streamletRef + "' has invalid config parameters:\n  - " + String.join("\n  - ", problems),
          "Set each " + names.kind() + " listed above to a valid value " + names.whereValuesAreSet() + ".");
    }
    return withValues;
  }

  /** Values set for keys the streamlet does not declare: most likely typos, which would go unnoticed. */
  private static List<String> undeclared(
      String streamletRef, ConfigParameter<?>[] parameters, Map<String, String> boundValues, SettingNames names) {
    List<String> declared = Arrays.stream(parameters).map(ConfigParameter::key).toList();
    Set<String> known = declared.stream().map(StreamletPlanner::relaxed).collect(Collectors.toSet());
    return boundValues.keySet().stream()
        .filter(key -> !known.contains(StreamletPlanner.relaxed(key)))
        .map(key -> names.of("streamlets." + streamletRef + ".config-parameters." + key)
            + " is not a config parameter of this streamlet; its parameters: " + (declared.isEmpty() ? "none" : declared))
        .toList();
  }
}
