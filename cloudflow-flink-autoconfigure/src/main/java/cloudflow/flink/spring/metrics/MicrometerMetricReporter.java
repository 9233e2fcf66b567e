package cloudflow.flink.spring.metrics;

import cloudflow.flink.kafka.KafkaStreamletContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
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
 * is left out to keep the scrape small and the names stable. The README lists them all.
 */
public class MicrometerMetricReporter implements MetricReporter {

  private static final String JOB_NAME = "<job_name>";
  private static final String OPERATOR_NAME = "<operator_name>";
  private static final String TASK_NAME = "<task_name>";
  private static final String SUBTASK = "<subtask_index>";
  /** Flink names every source operator "Source: <name>". */
  private static final String SOURCE_PREFIX = "Source: ";

  /** How a Flink metric becomes a Micrometer meter. */
  private enum Kind {
    /** A count that only grows (Flink counter, or a gauge holding one). */
    COUNTER,
    /** A value as it is. */
    GAUGE,
    /** A size in bytes. */
    BYTES,
    /** Milliseconds, reported in seconds. */
    MILLIS,
    /** An epoch-milliseconds timestamp, reported as its age in seconds (NaN before the first). */
    AGE
  }

  private record Mapping(String name, Kind kind, String description) {}

  /** Flink metric of an inlet's source operator → Micrometer meter. */
  private static final Map<String, Mapping> INLET_METRICS = Map.of(
      "numRecordsOut", new Mapping("cloudflow.streamlet.records.in", Kind.COUNTER,
          "Records read from the inlet's topic"),
      "numRecordsOutPerSecond", new Mapping("cloudflow.streamlet.records.in.per.second", Kind.GAUGE,
          "Records read from the inlet's topic per second"),
      "numBytesIn", new Mapping("cloudflow.streamlet.bytes.in", Kind.COUNTER,
          "Bytes read from the inlet's topic"),
      "pendingRecords", new Mapping("cloudflow.streamlet.consumer.lag", Kind.GAUGE,
          "Records in the inlet's topic not read yet"),
      "numRecordsInErrors", new Mapping("cloudflow.streamlet.records.in.errors", Kind.COUNTER,
          "Records the inlet's source failed to read"),
      "badRecords", new Mapping("cloudflow.streamlet.bad.records", Kind.COUNTER,
          "Records of the inlet that could not be decoded (skipped or dead-lettered)"),
      "currentOutputWatermark", new Mapping("cloudflow.streamlet.watermark.lag", Kind.AGE,
          "Time between now and the inlet's event-time watermark"));

  /** Flink metric of an outlet's sink writer → Micrometer meter. */
  private static final Map<String, Mapping> OUTLET_METRICS = Map.of(
      "numRecordsOut", new Mapping("cloudflow.streamlet.records.out", Kind.COUNTER,
          "Records written to the outlet's topic"),
      "numRecordsOutPerSecond", new Mapping("cloudflow.streamlet.records.out.per.second", Kind.GAUGE,
          "Records written to the outlet's topic per second"),
      "numBytesOut", new Mapping("cloudflow.streamlet.bytes.out", Kind.COUNTER,
          "Bytes written to the outlet's topic"),
      "numRecordsOutErrors", new Mapping("cloudflow.streamlet.records.out.errors", Kind.COUNTER,
          "Records the outlet's sink failed to write"));

  /** Flink metric of the job manager's job group → Micrometer meter. */
  private static final Map<String, Mapping> JOB_METRICS = Map.of(
      "uptime", new Mapping("cloudflow.streamlet.job.uptime", Kind.MILLIS,
          "Time the streamlet's job has been running"),
      "numRestarts", new Mapping("cloudflow.streamlet.job.restarts", Kind.COUNTER,
          "Restarts of the streamlet's job"),
      "numberOfCompletedCheckpoints", new Mapping("cloudflow.streamlet.checkpoints.completed", Kind.COUNTER,
          "Completed checkpoints of the streamlet's job"),
      "numberOfFailedCheckpoints", new Mapping("cloudflow.streamlet.checkpoints.failed", Kind.COUNTER,
          "Failed checkpoints of the streamlet's job"),
      "lastCheckpointDuration", new Mapping("cloudflow.streamlet.checkpoint.last.duration", Kind.MILLIS,
          "Duration of the last completed checkpoint"),
      "lastCheckpointSize", new Mapping("cloudflow.streamlet.checkpoint.last.size", Kind.BYTES,
          "Size of the last completed checkpoint"),
      "lastCheckpointCompletedTimestamp", new Mapping("cloudflow.streamlet.checkpoint.last.age", Kind.AGE,
          "Time since the last completed checkpoint"));

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
    Map<String, String> variables = group.getAllVariables();
    String streamlet = variables.get(JOB_NAME);
    if (registry == null || streamlet == null) {
      return;
    }
    Tags tags = Tags.of("application", FlinkMetricsBridge.applicationId(), "streamlet", streamlet);
    Mapping mapping = null;
    String operator = variables.get(OPERATOR_NAME);
    if (operator != null && operator.startsWith(SOURCE_PREFIX)) {
      operator = operator.substring(SOURCE_PREFIX.length());
    }
    if (operator == null && variables.get(TASK_NAME) == null) {
      mapping = JOB_METRICS.get(metricName);
    } else if (operator != null) {
      String port = null;
      if (operator.startsWith(KafkaStreamletContext.INLET_OPERATOR_PREFIX)) {
        port = operator.substring(KafkaStreamletContext.INLET_OPERATOR_PREFIX.length());
        mapping = INLET_METRICS.get(metricName);
      } else if (operator.startsWith(KafkaStreamletContext.OUTLET_OPERATOR_PREFIX) && operator.endsWith("Writer")) {
        // sink operators are named "<sink name>: Writer" (and ": Committer" for exactly-once)
        int prefix = KafkaStreamletContext.OUTLET_OPERATOR_PREFIX.length();
        port = operator.substring(prefix, operator.indexOf(':', prefix));
        mapping = OUTLET_METRICS.get(metricName);
      }
      if (port != null) {
        tags = tags.and("port", port, "topic", FlinkMetricsBridge.topicOf(streamlet, port),
            "subtask", variables.getOrDefault(SUBTASK, "0"));
      }
    }
    if (mapping != null) {
      meters.put(metric, register(registry, mapping, tags, metric));
    }
  }

  private static Meter register(MeterRegistry registry, Mapping mapping, Tags tags, Metric metric) {
    String name = mapping.name();
    return switch (mapping.kind()) {
      case COUNTER -> FunctionCounter.builder(name, metric, MicrometerMetricReporter::valueOf)
          .description(mapping.description()).tags(tags).register(registry);
      case GAUGE -> gauge(name, metric, MicrometerMetricReporter::valueOf, null, mapping, tags, registry);
      case BYTES -> gauge(name, metric, MicrometerMetricReporter::nonNegative, "bytes", mapping, tags, registry);
      case MILLIS -> gauge(name, metric, m -> nonNegative(m) / 1000.0, "seconds", mapping, tags, registry);
      case AGE -> gauge(name, metric, MicrometerMetricReporter::ageSeconds, "seconds", mapping, tags, registry);
    };
  }

  private static Meter gauge(String name, Metric metric, ToDoubleFunction<Metric> value, String unit, Mapping mapping,
      Tags tags, MeterRegistry registry) {
    return Gauge.builder(name, metric, value).description(mapping.description()).baseUnit(unit).tags(tags).register(registry);
  }

  /** Flink reports -1 for "none yet" (no checkpoint completed): that is no value, not a negative one. */
  private static double nonNegative(Metric metric) {
    double value = valueOf(metric);
    return value < 0 ? Double.NaN : value;
  }

  private static double valueOf(Metric metric) {
    if (metric instanceof Counter counter) {
      return counter.getCount();
    }
    if (metric instanceof org.apache.flink.metrics.Meter meter) {
      return meter.getRate();
    }
    if (metric instanceof org.apache.flink.metrics.Gauge<?> gauge && gauge.getValue() instanceof Number number) {
      return number.doubleValue();
    }
    return Double.NaN;
  }

  /** Seconds since an epoch-milliseconds value; NaN when there is none yet (Flink reports -1 or Long.MIN_VALUE). */
  private static double ageSeconds(Metric metric) {
    double epochMillis = valueOf(metric);
    return epochMillis > 0 ? (System.currentTimeMillis() - epochMillis) / 1000.0 : Double.NaN;
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
