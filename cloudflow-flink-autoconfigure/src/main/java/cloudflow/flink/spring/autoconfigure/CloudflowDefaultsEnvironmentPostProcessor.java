package cloudflow.flink.spring.autoconfigure;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Adds the defaults a streamlet pod needs, at the lowest precedence so any user setting wins:
 * {@code --streamlet=name} as a short form of {@code cloudflow.streamlet}; only health, info and
 * prometheus exposed over HTTP; the streamlets' job health in the liveness and readiness groups.
 */
public class CloudflowDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  /** Name of the property source holding the defaults. */
  public static final String PROPERTY_SOURCE_NAME = "cloudflowDefaults";

  static final Map<String, Object> DEFAULTS =
      Map.of(
          "cloudflow.streamlet", "${streamlet:}",
          "management.endpoints.web.exposure.include", "health,info,prometheus",
          "management.endpoint.health.probes.enabled", "true",
          "management.endpoint.health.group.readiness.include", "readinessState,streamlets",
          "management.endpoint.health.group.liveness.include", "livenessState,streamletsLiveness");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, DEFAULTS));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
