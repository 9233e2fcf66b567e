package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.spring.properties.StreamletCommandCondition;
import cloudflow.flink.runtime.ProcessTempDirectory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Adds the defaults a streamlet pod needs, at the lowest precedence so any user setting wins:
 * {@code --streamlet=name} as a short form of {@code cloudflow.streamlet}; only health, info and
 * prometheus exposed over HTTP; the streamlets' job health in the liveness and readiness groups; quiet
 * loggers for the embedded Flink cluster's unactionable warnings; Tomcat's base directory in the
 * process's temporary directory ({@link ProcessTempDirectory}), so that a stop leaves nothing behind.
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

  private static final String TOMCAT_BASE_DIRECTORY = "server.tomcat.basedir";

  static final Map<String, Object> COMMAND_OVERRIDES =
      Map.of("spring.main.web-application-type", "none", "spring.main.banner-mode", "off", "logging.level.root", "WARN");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (StreamletCommandCondition.isCommand(environment)) {
      // verify and describe print and exit: no web server, and no probe groups for jobs that never run
      environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, COMMAND_OVERRIDES));
      return;
    }
    Map<String, Object> defaults = new HashMap<>(DEFAULTS);
    // without the application there is no telling when it closes: Tomcat's default then
    if (application != null && !environment.containsProperty(TOMCAT_BASE_DIRECTORY)) {
      // Tomcat's own temporary directory survives a clean stop (its work/ subdirectory is never emptied):
      // it goes to this process's directory instead, deleted once the application has closed
      ProcessTempDirectory directory = ProcessTempDirectory.acquire();
      defaults.put(TOMCAT_BASE_DIRECTORY, directory.path().resolve("tomcat").toString());
      application.addListeners(new ReleaseOnClose(directory));
    }
    environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
  }

  /** Releases the process's temporary directory when the application closes or fails to start, once. */
  private static final class ReleaseOnClose implements ApplicationListener<ApplicationEvent> {
    private final ProcessTempDirectory directory;
    private final AtomicBoolean released = new AtomicBoolean();

    ReleaseOnClose(ProcessTempDirectory directory) {
      this.directory = directory;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
      if ((event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent)
          && released.compareAndSet(false, true)) {
        directory.release();
      }
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
