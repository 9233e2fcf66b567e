package cloudflow.flink.spring.config;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Builds the Flink {@link Configuration} of streamlet jobs: the {@code cloudflow.flink.*} properties
 * as given, then the defaults below for whatever they leave unset, then the customizers.
 *
 * <p>Defaults: checkpoints every 10 s (Kafka offsets are committed on checkpoints, so without them a
 * restart re-reads from the last commit), and a bounded exponential-delay restart strategy (with
 * checkpointing Flink's default retries forever, hiding a broken job from liveness probes).
 */
public final class FlinkConfigurationFactory {

  /** Settings used where the user sets nothing. */
  public static final Map<String, String> DEFAULTS =
      Map.of(
          "execution.checkpointing.interval", "10 s",
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
