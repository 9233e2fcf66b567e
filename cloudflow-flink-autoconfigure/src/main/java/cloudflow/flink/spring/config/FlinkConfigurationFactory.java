package cloudflow.flink.spring.config;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Builds the Flink {@link Configuration} the user asks for, for every streamlet job: the
 * {@code cloudflow.flink.*} pass-through properties as given, then the customizers in order. These are
 * explicit settings and win everywhere, over a Flink cluster's own configuration too; the starter's
 * defaults for what they leave unset live in the runtime
 * ({@link cloudflow.flink.runtime.StreamletJobDefaults}), which applies them per streamlet and
 * execution mode.
 */
public final class FlinkConfigurationFactory {

  private FlinkConfigurationFactory() {}

  /** The configuration for the given pass-through properties and customizers. */
  public static Configuration create(Map<String, String> properties, List<FlinkConfigurationCustomizer> customizers) {
    Configuration configuration = Configuration.fromMap(properties);
    customizers.forEach(customizer -> customizer.customize(configuration));
    return configuration;
  }
}
