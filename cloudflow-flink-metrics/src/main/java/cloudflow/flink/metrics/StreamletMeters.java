package cloudflow.flink.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;

/**
 * Registers a chosen set of a streamlet job's Flink metrics as {@code cloudflow.streamlet.*} meters in
 * a Micrometer registry, read on demand when the registry is scraped (no polling thread). The same
 * names and tags wherever the job runs: in the application's own registry ({@code java -jar}) or in the
 * Prometheus reporter of a Flink cluster's job and task managers (application and remote mode).
 *
 * <p>Port metrics come from the operators that read and write the ports' topics, job metrics from the
 * job manager's job group; everything else Flink reports is left out to keep the scrape small and the
 * names stable. Which operator is which port is not read from operator names: each port's
 * (de)serializer registers a {@value #INLET_METRIC} or {@value #OUTLET_METRIC} gauge in its operator's
 * group, inside {@value #PORT_GROUP} and {@value #TOPIC_GROUP} key/value groups; the operator's other
 * metrics (same job and operator id) wait until that is seen, and {@link #registerPending()} (called
 * when it is, and before a scrape) registers them.
 */
public final class StreamletMeters implements AutoCloseable {

  /** Operator name prefix of an inlet's Kafka source (for people: the meters do not depend on it). */
  public static final String INLET_OPERATOR_PREFIX = "inlet:";
  /** Operator name prefix of an outlet's Kafka sink (for people: the meters do not depend on it). */
  public static final String OUTLET_OPERATOR_PREFIX = "outlet:";
  /** Key of the key/value metric group that names a port. */
  public static final String PORT_GROUP = "port";
  /** Key of the key/value metric group that names a port's topic. */
  public static final String TOPIC_GROUP = "topic";
  /** Name of the gauge an inlet's deserializer registers in its source operator's group. */
  public static final String INLET_METRIC = "cloudflowInlet";
  /** Name of the gauge an outlet's serializer registers in its sink writer operator's group. */
  public static final String OUTLET_METRIC = "cloudflowOutlet";

  private static final String JOB_NAME = "<job_name>";
  private static final String JOB_ID = "<job_id>";
  private static final String OPERATOR_ID = "<operator_id>";
  private static final String TASK_NAME = "<task_name>";
  private static final String SUBTASK = "<subtask_index>";
  private static final String PORT = "<" + PORT_GROUP + ">";
  private static final String TOPIC = "<" + TOPIC_GROUP + ">";

  /** What a job's metrics cannot tell: which application it belongs to. */
  public interface Tagging {

    /** The application id of every meter. */
    String application();
  }

  /** How a Flink metric becomes a Micrometer meter. */
  private enum Kind {
    /** A count that only grows (Flink counter, or a gauge holding one). */
    COUNTER,
    /** 1 while the job runs, from its uptime (Flink reports 0 before RUNNING and -1 after). */
    RUNNING,
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

  /** An operator metric whose port is not known yet: it may be one of a port's, or of no interest. */
  private record Pending(String metricName, String streamlet, String operator, String subtask) {}

  /** A port, as its (de)serializer registered it in its operator's metrics. */
  private record PortFacts(boolean inlet, String port, String topic) {}

  /** Flink metric of an inlet's source operator → meter. */
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

  /** Flink metric of an outlet's sink writer → meter. */
  private static final Map<String, Mapping> OUTLET_METRICS = Map.of(
      "numRecordsOut", new Mapping("cloudflow.streamlet.records.out", Kind.COUNTER,
          "Records written to the outlet's topic"),
      "numRecordsOutPerSecond", new Mapping("cloudflow.streamlet.records.out.per.second", Kind.GAUGE,
          "Records written to the outlet's topic per second"),
      "numBytesOut", new Mapping("cloudflow.streamlet.bytes.out", Kind.COUNTER,
          "Bytes written to the outlet's topic"),
      "numRecordsOutErrors", new Mapping("cloudflow.streamlet.records.out.errors", Kind.COUNTER,
          "Records the outlet's sink failed to write"));

  /** Flink metric of the job manager's job group → meter. */
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

  /** The job manager's job metric the running gauge is made from. */
  private static final String UPTIME = "uptime";
  private static final Mapping JOB_RUNNING = new Mapping("cloudflow.streamlet.job.running", Kind.RUNNING,
      "1 while the streamlet's Flink job is RUNNING, 0 otherwise");

  private final MeterRegistry registry;
  private final Tagging tagging;
  private final boolean jobRunningGauge;
  private final Map<Metric, Meter> meters = new ConcurrentHashMap<>();
  private final Map<Metric, Meter> runningGauges = new ConcurrentHashMap<>();
  private final Map<Metric, Pending> pending = new ConcurrentHashMap<>();
  /** The ports learned from their own metrics, by "job id/operator id". */
  private final Map<String, PortFacts> ports = new ConcurrentHashMap<>();

  /**
   * Creates the meters of the jobs whose metrics are {@linkplain #add added}.
   *
   * @param registry where the meters go
   * @param tagging what the metrics cannot tell themselves
   * @param jobRunningGauge whether to add {@code cloudflow.streamlet.job.running} from the job's uptime
   *     (a Flink cluster's reporter; a {@code java -jar} application has it from its own job status)
   */
  public StreamletMeters(MeterRegistry registry, Tagging tagging, boolean jobRunningGauge) {
    this.registry = registry;
    this.tagging = tagging;
    this.jobRunningGauge = jobRunningGauge;
  }

  /** Takes a metric Flink added; registers its meter if it is one of the chosen ones. */
  public void add(Metric metric, String metricName, MetricGroup group) {
    Map<String, String> variables = group.getAllVariables();
    String streamlet = variables.get(JOB_NAME);
    if (streamlet == null) {
      return;
    }
    String operatorId = variables.get(OPERATOR_ID);
    if (operatorId == null) {
      Mapping mapping = variables.get(TASK_NAME) == null ? JOB_METRICS.get(metricName) : null;
      Tags tags = Tags.of("application", tagging.application(), "streamlet", streamlet);
      if (mapping != null) {
        meters.put(metric, register(mapping, tags, metric));
      }
      if (mapping != null && jobRunningGauge && UPTIME.equals(metricName)) {
        // a second meter of the same metric: kept apart so removing the metric removes both
        runningGauges.put(metric, register(JOB_RUNNING, tags, metric));
      }
      return;
    }
    String operator = variables.get(JOB_ID) + "/" + operatorId;
    boolean inletMarker = INLET_METRIC.equals(metricName);
    if ((inletMarker || OUTLET_METRIC.equals(metricName)) && variables.containsKey(PORT) && variables.containsKey(TOPIC)) {
      ports.put(operator, new PortFacts(inletMarker, variables.get(PORT), variables.get(TOPIC)));
      registerPending();
    } else if (INLET_METRICS.containsKey(metricName) || OUTLET_METRICS.containsKey(metricName)) {
      pending.put(metric, new Pending(metricName, streamlet, operator, variables.getOrDefault(SUBTASK, "0")));
      registerPending();
    }
  }

  /** Registers the meters of the operator metrics whose port has become known. */
  public void registerPending() {
    pending.forEach((metric, waiting) -> {
      PortFacts port = ports.get(waiting.operator());
      if (port != null && pending.remove(metric, waiting)) {
        Mapping mapping = (port.inlet() ? INLET_METRICS : OUTLET_METRICS).get(waiting.metricName());
        if (mapping != null) {
          Tags tags = Tags.of("application", tagging.application(), "streamlet", waiting.streamlet(),
              "port", port.port(), "topic", port.topic(), "subtask", waiting.subtask());
          meters.put(metric, register(mapping, tags, metric));
        }
      }
    });
  }

  /** Drops the meter of a metric Flink removed. */
  public void remove(Metric metric) {
    pending.remove(metric);
    for (Map<Metric, Meter> kind : List.of(meters, runningGauges)) {
      Meter meter = kind.remove(metric);
      if (meter != null) {
        registry.remove(meter);
      }
    }
  }

  /** Removes every meter registered here. */
  @Override
  public void close() {
    meters.values().forEach(registry::remove);
    meters.clear();
    runningGauges.values().forEach(registry::remove);
    runningGauges.clear();
    pending.clear();
  }

  private Meter register(Mapping mapping, Tags tags, Metric metric) {
    String name = mapping.name();
    return switch (mapping.kind()) {
      case COUNTER -> FunctionCounter.builder(name, metric, StreamletMeters::valueOf)
          .description(mapping.description()).tags(tags).register(registry);
      case RUNNING -> gauge(metric, m -> valueOf(m) > 0 ? 1 : 0, null, mapping, tags);
      case GAUGE -> gauge(metric, StreamletMeters::valueOf, null, mapping, tags);
      case BYTES -> gauge(metric, StreamletMeters::nonNegative, "bytes", mapping, tags);
      case MILLIS -> gauge(metric, m -> nonNegative(m) / 1000.0, "seconds", mapping, tags);
      case AGE -> gauge(metric, StreamletMeters::ageSeconds, "seconds", mapping, tags);
    };
  }

  private Meter gauge(Metric metric, ToDoubleFunction<Metric> value, String unit, Mapping mapping, Tags tags) {
    return Gauge.builder(mapping.name(), metric, value).description(mapping.description()).baseUnit(unit).tags(tags)
        .register(registry);
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
}
