package cloudflow.flink.spring.streamlets;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
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
 * variables arrive through Spring's relaxed binding ({@code CloudflowProperties}) with their dashes
 * lost, so they are matched to the declared keys ignoring case, '-' and '_'.
 */
final class ConfigParameterValues {

  private ConfigParameterValues() {}

  /**
   * The configuration with the streamlet's parameter values in place.
   *
   * @throws StreamletConfigurationException naming every missing or invalid value's property
   */
  static Config apply(String streamletRef, FlinkStreamlet streamlet, Map<String, String> boundValues, Config config) {
    ConfigParameter<?>[] parameters = streamlet.defineConfigParams();
    if (parameters.length == 0 && boundValues.isEmpty()) {
      return config;
    }
    String path = FlinkStreamletContext.configParametersPath(streamletRef);
    Map<String, String> byNormalizedKey = new HashMap<>();
    boundValues.forEach((key, value) -> byNormalizedKey.put(StreamletSelection.normalize(key), value));
    Map<String, Object> values = new HashMap<>();
    for (ConfigParameter<?> parameter : parameters) {
      String bound = byNormalizedKey.get(StreamletSelection.normalize(parameter.key()));
      String keyPath = ConfigUtil.joinPath(parameter.key());
      boolean inConfig = config.hasPath(path) && config.getConfig(path).hasPath(keyPath);
      if (bound != null && !inConfig) {
        values.put(path + "." + keyPath, bound);
      }
    }
    Config withValues = ConfigFactory.parseMap(values, "config parameters from properties").withFallback(config);
    Config streamletConfig = withValues.hasPath(path) ? withValues.getConfig(path) : ConfigFactory.empty();
    List<String> problems = new ArrayList<>(ConfigParameter.problems(parameters, streamletRef, streamletConfig));
    problems.addAll(undeclared(streamletRef, parameters, boundValues));
    if (!problems.isEmpty()) {
      throw new StreamletConfigurationException(
          "Streamlet '" + streamletRef + "' has invalid config parameters:\n  - " + String.join("\n  - ", problems),
          "Set each property listed above to a valid value (in application.yml, as an environment variable or "
              + "on the command line).");
    }
    return withValues;
  }

  /** Values set for keys the streamlet does not declare: most likely typos, which would go unnoticed. */
  private static List<String> undeclared(String streamletRef, ConfigParameter<?>[] parameters, Map<String, String> boundValues) {
    List<String> declared = Arrays.stream(parameters).map(ConfigParameter::key).toList();
    Set<String> known = declared.stream().map(StreamletSelection::normalize).collect(Collectors.toSet());
    return boundValues.keySet().stream()
        .filter(key -> !known.contains(StreamletSelection.normalize(key)))
        .map(key -> "cloudflow.streamlets." + streamletRef + ".config-parameters." + key
            + " is not a config parameter of this streamlet; its parameters: " + (declared.isEmpty() ? "none" : declared))
        .toList();
  }
}
