package cloudflow.flink.spring.metrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Creates {@link MicrometerMetricReporter}s. Registered for Java's ServiceLoader, which is how Flink
 * finds reporter factories, and selected with
 * {@code metrics.reporter.micrometer.factory.class}.
 */
public class MicrometerMetricReporterFactory implements MetricReporterFactory {

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new MicrometerMetricReporter();
  }
}
