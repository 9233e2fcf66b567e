package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.spring.properties.StreamletCommandCondition;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Adds the defaults a streamlet pod needs, at the lowest precedence so any user setting wins:
 * {@code --streamlet=name} as a short form of {@code cloudflow.streamlet}; only health, info and
 * prometheus exposed over HTTP; the streamlets' job health in the liveness and readiness groups; quiet
 * loggers for the embedded Flink cluster's unactionable warnings.
 */
public class CloudflowDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  /** Name of the property source holding the defaults. */
  public static final String PROPERTY_SOURCE_NAME = "cloudflowDefaults";

  static final Map<String, Object> DEFAULTS =
      Map.ofEntries(
          Map.entry("cloudflow.streamlet", "${streamlet:}"),
          Map.entry("management.endpoints.web.exposure.include", "health,info,prometheus"),
          Map.entry("management.endpoint.health.probes.enabled", "true"),
          Map.entry("management.endpoint.health.group.readiness.include", "readinessState,streamlets"),
          Map.entry("management.endpoint.health.group.liveness.include", "livenessState,streamletsLiveness"),
          // Warnings an embedded Flink cluster logs on every job, none of which the user can act on:
          // no delegation tokens, no log file for the web UI, sink metric name clashes, and a stack
          // trace for a reporter factory found in a nested jar (it is registered all the same).
          Map.entry("logging.level.org.apache.flink.runtime.security.token.DefaultDelegationTokenManager", "ERROR"),
          Map.entry("logging.level.org.apache.flink.runtime.webmonitor.WebMonitorUtils", "ERROR"),
          Map.entry("logging.level.org.apache.flink.metrics.MetricGroup", "ERROR"),
          Map.entry("logging.level.org.apache.flink.runtime.metrics.ReporterSetupBuilder", "ERROR"),
          Map.entry("logging.level.org.apache.pekko.actor.CoordinatedShutdown", "ERROR"));

  static final Map<String, Object> COMMAND_OVERRIDES =
      Map.of("spring.main.web-application-type", "none", "spring.main.banner-mode", "off", "logging.level.root", "WARN");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (StreamletCommandCondition.isCommand(environment)) {
      // verify and describe print and exit: no web server, and no probe groups for jobs that never run
      environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, COMMAND_OVERRIDES));
      return;
    }
    environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, DEFAULTS));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
