package cloudflow.flink.spring.metrics;

import cloudflow.flink.StreamletExecution;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.spring.autoconfigure.CloudflowFlinkAutoConfiguration;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import cloudflow.flink.spring.config.FlinkConfigurationCustomizer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.flink.api.common.JobStatus;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Reports the streamlet jobs' Flink metrics to the application's {@link MeterRegistry}: installs the
 * {@link MicrometerMetricReporter} in the Flink configuration and connects it to the registry, and
 * adds a {@code cloudflow.streamlet.job.running} gauge per streamlet.
 */
@AutoConfiguration(
    after = CloudflowFlinkAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, StreamletLauncher.class})
public final class StreamletMetricsAutoConfiguration {

  /** Name of the reporter in the Flink configuration. */
  static final String REPORTER = "metrics.reporter.micrometer.factory.class";

  @Bean
  @ConditionalOnMissingBean(name = "micrometerFlinkConfigurationCustomizer")
  FlinkConfigurationCustomizer micrometerFlinkConfigurationCustomizer() {
    return configuration -> configuration.setString(REPORTER, MicrometerMetricReporterFactory.class.getName());
  }

  @Bean
  FlinkMetricsConnection flinkMetricsConnection(MeterRegistry registry, StreamletLauncher launcher) {
    String applicationId = launcher.definitions().isEmpty() ? "" : launcher.definitions().get(0).applicationId();
    FlinkMetricsBridge.connect(registry, applicationId);
    return new FlinkMetricsConnection(registry);
  }

  @Bean
  MeterBinder streamletJobStatusMetrics(StreamletLauncher launcher) {
    return registry -> {
      for (StreamletDefinition definition : launcher.definitions()) {
        Gauge.builder("cloudflow.streamlet.job.running", launcher, l -> running(l, definition.streamletRef()))
            .description("1 while the streamlet's Flink job is RUNNING, 0 otherwise")
            .tags("application", definition.applicationId(), "streamlet", definition.streamletRef())
            .register(registry);
      }
    };
  }

  private static double running(StreamletLauncher launcher, String streamletRef) {
    return launcher.executions().stream()
        .filter(e -> e.streamletRef().equals(streamletRef))
        .map(StreamletExecution::status)
        .anyMatch(s -> s == JobStatus.RUNNING) ? 1 : 0;
  }

  /** Disconnects Flink's reporters from the registry when the context closes. */
  static final class FlinkMetricsConnection implements DisposableBean {

    private final MeterRegistry registry;

    FlinkMetricsConnection(MeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void destroy() {
      FlinkMetricsBridge.disconnect(registry);
    }
  }
}
