package cloudflow.flink.spring.metrics;

import cloudflow.flink.metrics.StreamletMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * A Flink reporter for the local Flink cluster of a {@code java -jar} streamlet: registers the
 * streamlets' meters ({@link StreamletMeters}) in the application's {@link MeterRegistry}, found
 * through {@link FlinkMetricsBridge}, with the application's id. The README lists the meters.
 */
public class MicrometerMetricReporter implements MetricReporter {

  private volatile StreamletMeters meters;

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {
    StreamletMeters current = meters;
    if (current != null) {
      current.close();
    }
  }

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    StreamletMeters current = meters();
    if (current != null) {
      current.add(metric, metricName, group);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    StreamletMeters current = meters;
    if (current != null) {
      current.remove(metric);
    }
  }

  /** The meters of the connected registry; none before the application connected one. */
  private synchronized StreamletMeters meters() {
    MeterRegistry registry = FlinkMetricsBridge.registry();
    if (meters == null && registry != null) {
      meters = new StreamletMeters(registry, FlinkMetricsBridge::applicationId, false);
    }
    return meters;
  }
}
