package cloudflow.flink.spring.config;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Builds the Flink {@link Configuration} of streamlet jobs: the {@code cloudflow.flink.*} properties
 * as given, then the defaults below for whatever they leave unset, then the customizers.
 *
 * <p>Defaults: a bounded exponential-delay restart strategy (with checkpointing Flink's default
 * retries forever, hiding a broken job from liveness probes) and a REST API bound to this host. The
 * checkpoint interval's default depends on the streamlet's delivery guarantee, so the runner sets it
 * ({@link cloudflow.flink.runtime.StreamletRunner#DEFAULT_CHECKPOINT_INTERVAL}).
 */
public final class FlinkConfigurationFactory {

  /** Settings used where the user sets nothing. */
  public static final Map<String, String> DEFAULTS =
      Map.of(
          "restart-strategy.type", "exponential-delay",
          "restart-strategy.exponential-delay.initial-backoff", "1 s",
          "restart-strategy.exponential-delay.max-backoff", "1 min",
          "restart-strategy.exponential-delay.attempts-before-reset-backoff", "10",
          // the local cluster's REST API has no authentication: keep it on this host
          "rest.bind-address", "127.0.0.1");

  private FlinkConfigurationFactory() {}

  /** The configuration for the given pass-through properties and customizers. */
  public static Configuration create(Map<String, String> properties, List<FlinkConfigurationCustomizer> customizers) {
    Configuration configuration = Configuration.fromMap(properties);
    boolean userChoseRestartStrategy = properties.keySet().stream().anyMatch(k -> k.startsWith("restart-strategy"));
    DEFAULTS.forEach((key, value) -> {
      if (key.startsWith("restart-strategy") && userChoseRestartStrategy) {
        return;
      }
      if (!configuration.containsKey(key)) {
        configuration.setString(key, value);
      }
    });
    customizers.forEach(customizer -> customizer.customize(configuration));
    return configuration;
  }
}
