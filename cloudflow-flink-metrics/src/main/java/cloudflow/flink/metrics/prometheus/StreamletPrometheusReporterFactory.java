package cloudflow.flink.metrics.prometheus;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Creates {@link StreamletPrometheusReporter}s. Flink finds it with Java's ServiceLoader in its
 * plugins folder: {@code metrics.reporter.cloudflow.factory.class:
 * cloudflow.flink.metrics.prometheus.StreamletPrometheusReporterFactory}.
 */
public class StreamletPrometheusReporterFactory implements MetricReporterFactory {

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new StreamletPrometheusReporter();
  }
}
