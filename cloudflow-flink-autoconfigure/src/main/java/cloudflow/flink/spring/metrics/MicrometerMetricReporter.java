package cloudflow.flink.spring.metrics;

import cloudflow.flink.kafka.KafkaStreamletContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * A Flink reporter that registers a chosen set of Flink metrics as Micrometer meters, read on demand
 * when the registry is scraped (no polling thread).
 *
 * <p>Port metrics come from the operators the Kafka runtime names {@code inlet:<port>} and
 * {@code outlet:<port>}; job metrics from the job manager's job group. Everything else Flink reports
 * is left out to keep the scrape small and the names stable. See the README for the list.
 */
public class MicrometerMetricReporter implements MetricReporter {

  private static final String JOB_NAME = "<job_name>";
  private static final String OPERATOR_NAME = "<operator_name>";
  private static final String TASK_NAME = "<task_name>";
  private static final String SUBTASK = "<subtask_index>";
  /** Flink names every source operator "Source: <name>". */
  private static final String SOURCE_PREFIX = "Source: ";

  /** Flink metric of an inlet's source operator → Micrometer name. */
  private static final Map<String, String> INLET_METRICS =
      Map.of(
          "numRecordsOut", "cloudflow.streamlet.records.in",
          "numBytesIn", "cloudflow.streamlet.bytes.in",
          "pendingRecords", "cloudflow.streamlet.consumer.lag",
          "numRecordsInErrors", "cloudflow.streamlet.records.in.errors",
          "badRecords", "cloudflow.streamlet.bad.records");

  /** Flink metric of an outlet's sink writer → Micrometer name. */
  private static final Map<String, String> OUTLET_METRICS =
      Map.of(
          "numRecordsOut", "cloudflow.streamlet.records.out",
          "numBytesOut", "cloudflow.streamlet.bytes.out",
          "numRecordsOutErrors", "cloudflow.streamlet.records.out.errors");

  /** Flink metric of the job manager's job group → Micrometer name. */
  private static final Map<String, String> JOB_METRICS =
      Map.of(
          "uptime", "cloudflow.streamlet.job.uptime",
          "numRestarts", "cloudflow.streamlet.job.restarts",
          "numberOfCompletedCheckpoints", "cloudflow.streamlet.checkpoints.completed",
          "numberOfFailedCheckpoints", "cloudflow.streamlet.checkpoints.failed",
          "lastCheckpointDuration", "cloudflow.streamlet.checkpoint.last.duration",
          "lastCheckpointSize", "cloudflow.streamlet.checkpoint.last.size");

  private final Map<Metric, Meter> meters = new ConcurrentHashMap<>();

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {
    MeterRegistry registry = FlinkMetricsBridge.registry();
    if (registry != null) {
      meters.values().forEach(registry::remove);
    }
    meters.clear();
  }

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    MeterRegistry registry = FlinkMetricsBridge.registry();
    if (registry == null) {
      return;
    }
    Map<String, String> variables = group.getAllVariables();
    String streamlet = variables.get(JOB_NAME);
    if (streamlet == null) {
      return;
    }
    Tags tags = Tags.of("application", FlinkMetricsBridge.applicationId(), "streamlet", streamlet);
    String name = null;
    String operator = variables.get(OPERATOR_NAME);
    if (operator != null && operator.startsWith(SOURCE_PREFIX)) {
      operator = operator.substring(SOURCE_PREFIX.length());
    }
    if (operator == null && variables.get(TASK_NAME) == null) {
      name = JOB_METRICS.get(metricName);
    } else if (operator != null) {
      String port = null;
      if (operator.startsWith(KafkaStreamletContext.INLET_OPERATOR_PREFIX)) {
        port = operator.substring(KafkaStreamletContext.INLET_OPERATOR_PREFIX.length());
        name = INLET_METRICS.get(metricName);
      } else if (operator.startsWith(KafkaStreamletContext.OUTLET_OPERATOR_PREFIX) && operator.endsWith("Writer")) {
        // sink operators are named "<sink name>: Writer" (and ": Committer" for exactly-once)
        port = operator.substring(KafkaStreamletContext.OUTLET_OPERATOR_PREFIX.length(), operator.indexOf(':', KafkaStreamletContext.OUTLET_OPERATOR_PREFIX.length()));
        name = OUTLET_METRICS.get(metricName);
      }
      if (port != null) {
        tags = tags.and("port", port, "topic", FlinkMetricsBridge.topicOf(streamlet, port), "subtask",
            variables.getOrDefault(SUBTASK, "0"));
      }
    }
    if (name != null) {
      meters.put(metric, register(registry, name, tags, metric));
    }
  }

  private static Meter register(MeterRegistry registry, String name, Tags tags, Metric metric) {
    if (metric instanceof Counter counter) {
      return FunctionCounter.builder(name, counter, Counter::getCount).tags(tags).register(registry);
    }
    if (metric instanceof org.apache.flink.metrics.Gauge<?> gauge) {
      boolean counterLike = name.endsWith("restarts") || name.endsWith("completed") || name.endsWith("failed");
      if (counterLike) {
        return FunctionCounter.builder(name, gauge, MicrometerMetricReporter::valueOf).tags(tags).register(registry);
      }
      if (name.endsWith("uptime") || name.endsWith("duration")) {
        // Flink reports milliseconds; Prometheus conventions want base units
        return Gauge.builder(name, gauge, g -> valueOf(g) / 1000.0).tags(tags).baseUnit("seconds").register(registry);
      }
      return Gauge.builder(name, gauge, MicrometerMetricReporter::valueOf)
          .tags(tags)
          .baseUnit(name.endsWith("size") ? "bytes" : null)
          .register(registry);
    }
    if (metric instanceof org.apache.flink.metrics.Meter meter) {
      return Gauge.builder(name, meter, org.apache.flink.metrics.Meter::getRate).tags(tags).register(registry);
    }
    return Gauge.builder(name, () -> Double.NaN).tags(tags).register(registry);
  }

  private static double valueOf(org.apache.flink.metrics.Gauge<?> gauge) {
    Object value = gauge.getValue();
    return value instanceof Number number ? number.doubleValue() : Double.NaN;
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    Meter meter = meters.remove(metric);
    MeterRegistry registry = FlinkMetricsBridge.registry();
    if (meter != null && registry != null) {
      registry.remove(meter);
    }
  }
}
