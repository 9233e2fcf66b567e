package cloudflow.flink.testkit;

import static cloudflow.flink.kafka.KafkaStreamletContext.INLET_OPERATOR_PREFIX;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.Inlet;
import cloudflow.streamlets.StreamletPort;
import cloudflow.streamlets.StreamletShape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * Runs a streamlet's real logic on a local Flink environment, with its inlets fed from bounded
 * in-memory taps and its outlets collected into taps, and returns when the job has finished.
 *
 * <pre>{@code
 * FlinkTestkit testkit = new FlinkTestkit().withConfigValue("doubler.factor", 2);
 * FlinkInletTap<Reading> in = testkit.inletAsTap(streamlet.in, List.of(r1, r2));
 * FlinkOutletTap<Reading> out = testkit.outletAsTap(streamlet.out);
 * testkit.run(streamlet, List.of(in), List.of(out));
 * assertThat(out.records()).containsExactly(...);
 * assertThat(out.keyedRecords()).containsExactly(new KeyedRecord<>("sensor-1", ...), ...);
 * }</pre>
 *
 * <p>The testkit is immutable: every {@code with...} method returns a changed copy, so one testkit
 * can be shared by tests and refined per test. It keeps nothing between runs; each run has its own
 * Flink environment (parallelism 1 unless set, which keeps the order of records deterministic), its
 * own configuration and its own results, so tests can run in parallel.
 *
 * <p>Cloudflow's Java calls are kept: {@code new FlinkTestkit() {}}, {@code getInletAsTap},
 * {@code getOutletAsTap}, {@code run(streamlet, inlets, outlets, env)}, an overridden
 * {@link #config()}, and (deprecated) {@link FlinkSource} and {@link TestFlinkStreamletContext}.
 *
 * <p>What the streamlet writes is keyed with each outlet's partitioner and encoded with its codec
 * inside the job, exactly as the Kafka runtime does; the outlet tap decodes it again.
 */
public class FlinkTestkit {

  /** How long {@link #run} waits for the job to finish unless {@link #withTimeout} says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Config config;
  private final Map<String, Object> configValues;
  private final Map<String, Object> configParameterValues;
  private final String streamletRef;
  private final Duration timeout;
  private final int parallelism;
  private final Configuration flinkConfiguration;

  /** A testkit with no configuration of its own, parallelism 1 and the default timeout. */
  public FlinkTestkit() {
    this(ConfigFactory.empty(), Map.of(), Map.of(), null, DEFAULT_TIMEOUT, 1, new Configuration());
  }

  private FlinkTestkit(
      Config config,
      Map<String, Object> configValues,
      Map<String, Object> configParameterValues,
      String streamletRef,
      Duration timeout,
      int parallelism,
      Configuration flinkConfiguration) {
    this.config = config;
    this.configValues = Collections.unmodifiableMap(new LinkedHashMap<>(configValues));
    this.configParameterValues = Collections.unmodifiableMap(new LinkedHashMap<>(configParameterValues));
    this.streamletRef = streamletRef;
    this.timeout = timeout;
    this.parallelism = parallelism;
    this.flinkConfiguration = new Configuration(flinkConfiguration);
  }

  /**
   * A copy whose {@code config()} has {@code value} at {@code path} (a HOCON path such as
   * {@code doubler.factor}). Values set this way win over {@link #withConfig} and
   * {@code application.conf}.
   *
   * @param value a string, number, boolean, list or map, as {@code ConfigValueFactory.fromAnyRef} takes
   */
  public FlinkTestkit withConfigValue(String path, Object value) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(value, "value");
    Map<String, Object> values = new LinkedHashMap<>(configValues);
    values.put(path, value);
    return new FlinkTestkit(config, values, configParameterValues, streamletRef, timeout, parallelism, flinkConfiguration);
  }

  /**
   * A copy whose {@code config()} contains {@code settings}, which win over settings given earlier
   * and over {@code application.conf} on the class path.
   */
  public FlinkTestkit withConfig(Config settings) {
    Objects.requireNonNull(settings, "settings");
    return new FlinkTestkit(
        settings.withFallback(config), configValues, configParameterValues, streamletRef, timeout, parallelism,
        flinkConfiguration);
  }

  /**
   * A copy that runs the streamlet with the config parameter {@code key} (one of its
   * {@code defineConfigParams()} or {@code defineConfigParameters()}) set to {@code value}, as
   * {@code cloudflow.streamlets.<streamlet-ref>.config-parameters.<key>} would in an application.
   */
  public FlinkTestkit withConfigParameterValue(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Map<String, Object> values = new LinkedHashMap<>(configParameterValues);
    values.put(key, value);
    return new FlinkTestkit(config, configValues, values, streamletRef, timeout, parallelism, flinkConfiguration);
  }

  /**
   * A copy that runs streamlets under the name {@code streamletRef}, which is what
   * {@code streamletRef()} returns and where config parameters are looked up. By default the name is
   * the streamlet's class name in kebab case ({@code SensorProcessor} runs as {@code sensor-processor}).
   */
  public FlinkTestkit withStreamletRef(String streamletRef) {
    if (streamletRef == null || streamletRef.isBlank()) {
      throw new IllegalArgumentException("streamletRef must not be blank");
    }
    return new FlinkTestkit(
        config, configValues, configParameterValues, streamletRef, timeout, parallelism, flinkConfiguration);
  }

  /** A copy that waits at most {@code timeout} for a job to finish before cancelling it. */
  public FlinkTestkit withTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return new FlinkTestkit(
        config, configValues, configParameterValues, streamletRef, timeout, parallelism, flinkConfiguration);
  }

  /**
   * A copy whose local environment runs with {@code parallelism}. Above 1, records with the same key
   * keep their order only if the streamlet keys its stream before writing.
   */
  public FlinkTestkit withParallelism(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
    return new FlinkTestkit(
        config, configValues, configParameterValues, streamletRef, timeout, parallelism, flinkConfiguration);
  }

  /** A copy whose local Flink environment is created with {@code settings} added to the earlier ones. */
  public FlinkTestkit withFlinkConfiguration(Configuration settings) {
    Configuration merged = new Configuration(flinkConfiguration);
    merged.addAll(Objects.requireNonNull(settings, "settings"));
    return new FlinkTestkit(config, configValues, configParameterValues, streamletRef, timeout, parallelism, merged);
  }

  /**
   * The settings given with {@link #withConfig}, below those of {@link #withConfigValue} and above
   * {@code application.conf}. Cloudflow's testkit let a test override this method to configure
   * a run ({@code new FlinkTestkit() { public Config config() { ... } }}), and that still works: a
   * run reads this method. Config parameters set in it under Cloudflow's
   * {@code cloudflow.streamlets.testFlinkStreamlet.<key>} are found too. The copies made by the
   * {@code with...} methods are plain testkits and do not keep such an override.
   */
  public Config config() {
    return config;
  }

  /** A tap that feeds {@code inlet} with {@code records}, in order, then ends. */
  public <T> FlinkInletTap<T> inletAsTap(CodecInlet<T> inlet, List<T> records) {
    List<T> copy = List.copyOf(Objects.requireNonNull(records, "records"));
    return new FlinkInletTap<>(inlet, env -> fromList(env, inlet, copy), null);
  }

  private static <T> DataStream<T> fromList(StreamExecutionEnvironment env, CodecInlet<T> inlet, List<T> records) {
    TypeInformation<T> type = FlinkStreamletContext.typeInfoOf(inlet.recordClass());
    String name = INLET_OPERATOR_PREFIX + inlet.name();
    if (records.isEmpty()) {
      // fromData fails at run time on an empty collection (Flink 2.2), so an empty inlet is a
      // one-element sequence that emits nothing.
      return env.fromSequence(0, 0).flatMap((Long n, Collector<T> none) -> {}).returns(type).name(name);
    }
    return env.fromData(records, type).name(name);
  }

  /**
   * A tap that feeds {@code inlet} with the stream {@code source} builds in the run's environment,
   * for example {@code env -> env.fromSource(boundedSource, WatermarkStrategy.noWatermarks(), "in")}.
   * The stream must be bounded: the run waits for it to end.
   */
  public <T> FlinkInletTap<T> inletAsTap(
      CodecInlet<T> inlet, Function<StreamExecutionEnvironment, DataStream<T>> source) {
    return new FlinkInletTap<>(inlet, Objects.requireNonNull(source, "source"), null);
  }

  /**
   * A tap that feeds {@code inlet} with a bounded stream built beforehand, as Cloudflow's testkit did
   * ({@code testkit.inletAsTap(in, env.fromData(...))}); the run then uses the stream's environment.
   */
  public <T> FlinkInletTap<T> inletAsTap(CodecInlet<T> inlet, DataStream<T> stream) {
    Objects.requireNonNull(stream, "stream");
    return new FlinkInletTap<>(inlet, env -> stream, stream.getExecutionEnvironment());
  }

  /** Cloudflow's Java name for {@link #inletAsTap(CodecInlet, DataStream)}. */
  public <T> FlinkInletTap<T> getInletAsTap(CodecInlet<T> inlet, DataStream<T> stream, Class<T> recordClass) {
    return inletAsTap(inlet, stream);
  }

  /** A tap that collects what the streamlet writes to {@code outlet}. */
  public <T> FlinkOutletTap<T> outletAsTap(CodecOutlet<T> outlet) {
    return new FlinkOutletTap<>(outlet);
  }

  /** Cloudflow's Java name for {@link #outletAsTap(CodecOutlet)}. */
  public <T> FlinkOutletTap<T> getOutletAsTap(CodecOutlet<T> outlet, Class<T> recordClass) {
    return outletAsTap(outlet);
  }

  /**
   * Runs the streamlet on a new local Flink environment (or on the environment of the streams its
   * inlet taps were built from) and returns when the job has finished; the outlet taps then hold the
   * records. Outlets without a tap are written and discarded.
   *
   * @throws IllegalArgumentException when a tap is on a port that is not in the streamlet's shape or
   *     carries another record class, a port has two taps, an inlet has no tap, an inlet tap is
   *     unbounded, or a config parameter has no valid value
   * @throws TestkitTimeoutException when the job has not finished within the timeout
   * @throws StreamletFailedException when the job cannot be submitted or fails
   */
  public void run(
      FlinkStreamlet streamlet,
      List<? extends FlinkInletTap<?>> inletTaps,
      List<? extends FlinkOutletTap<?>> outletTaps) {
    run(streamlet, inletTaps, outletTaps, environmentFor(inletTaps));
  }

  /**
   * Runs the streamlet on {@code env}, which is what Cloudflow's testkit took; otherwise as
   * {@link #run(FlinkStreamlet, List, List)}. The testkit's parallelism and Flink configuration do
   * not apply to an environment passed in.
   */
  @SuppressWarnings("deprecation") // fills Cloudflow's shared TestFlinkStreamletContext.result()
  public void run(
      FlinkStreamlet streamlet,
      List<? extends FlinkInletTap<?>> inletTaps,
      List<? extends FlinkOutletTap<?>> outletTaps,
      StreamExecutionEnvironment env) {
    Objects.requireNonNull(streamlet, "streamlet");
    Objects.requireNonNull(env, "env");
    StreamletShape shape = streamlet.shape();
    String ref = streamletRef != null ? streamletRef : defaultStreamletRef(streamlet);
    Map<String, FlinkInletTap<?>> inlets =
        tapsByPort(ref, shape, shape.inlets(), inletTaps, FlinkInletTap::inlet, "inlet");
    Map<String, FlinkOutletTap<?>> outlets =
        tapsByPort(ref, shape, shape.outlets(), outletTaps, FlinkOutletTap::outlet, "outlet");
    List<String> untapped =
        shape.inlets().stream().map(Inlet::name).filter(name -> !inlets.containsKey(name)).toList();
    if (!untapped.isEmpty()) {
      throw new IllegalArgumentException(
          "Inlet(s) " + untapped + " of streamlet '" + ref + "' have no tap: every inlet needs one"
              + " (FlinkTestkit.inletAsTap); tapped inlets: " + inlets.keySet());
    }

    TestkitStreamletContext context =
        new TestkitStreamletContext(env, configFor(ref), ref, portMappings(shape), shape, inlets, outlets.keySet());
    checkConfigParameters(streamlet, context);
    outlets.values().forEach(FlinkOutletTap::reset);
    TestFlinkStreamletContext.startRun();
    streamlet.createLogic(context).buildExecutionGraph();
    new TestkitJob(env, ref, timeout).run(outlets);
    outlets.values().forEach(tap -> TestFlinkStreamletContext.add(tap.records()));
  }

  private StreamExecutionEnvironment environmentFor(List<? extends FlinkInletTap<?>> inletTaps) {
    Set<StreamExecutionEnvironment> bound = Collections.newSetFromMap(new IdentityHashMap<>());
    for (FlinkInletTap<?> tap : Objects.requireNonNull(inletTaps, "inletTaps")) {
      if (tap.boundEnvironment() != null) {
        bound.add(tap.boundEnvironment());
      }
    }
    if (bound.size() > 1) {
      throw new IllegalArgumentException(
          "Inlet taps were built from streams of different StreamExecutionEnvironments; one run uses one");
    }
    return bound.isEmpty()
        ? StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration(flinkConfiguration))
        : bound.iterator().next();
  }

  /** Indexes taps by port name, checking each against the ports of its kind in the shape. */
  private static <K> Map<String, K> tapsByPort(
      String ref,
      StreamletShape shape,
      List<? extends StreamletPort> ports,
      List<? extends K> taps,
      Function<K, StreamletPort> portOf,
      String kind) {
    Map<String, K> byPort = new LinkedHashMap<>();
    for (K tap : Objects.requireNonNull(taps, kind + "Taps")) {
      StreamletPort port = portOf.apply(Objects.requireNonNull(tap, kind + " tap"));
      StreamletPort declared = ports.stream().filter(p -> p.name().equals(port.name())).findFirst().orElse(null);
      if (declared == null) {
        throw new IllegalArgumentException(
            "Streamlet '" + ref + "' has no " + kind + " '" + port.name() + "' for the tap on it; inlets: "
                + names(shape.inlets()) + ", outlets: " + names(shape.outlets()));
      }
      if (recordClassOf(declared) != recordClassOf(port)) {
        throw new IllegalArgumentException(
            "The tap on " + kind + " '" + port.name() + "' carries " + recordClassOf(port).getName()
                + " but streamlet '" + ref + "' declares " + recordClassOf(declared).getName());
      }
      if (byPort.put(port.name(), tap) != null) {
        throw new IllegalArgumentException(
            "Two taps on " + kind + " '" + port.name() + "' of streamlet '" + ref + "': one per port");
      }
    }
    return byPort;
  }

  private static Class<?> recordClassOf(StreamletPort port) {
    if (port instanceof CodecInlet<?> inlet) {
      return inlet.recordClass();
    }
    return port instanceof CodecOutlet<?> outlet ? outlet.recordClass() : Object.class;
  }

  private static List<String> names(List<? extends StreamletPort> ports) {
    return ports.stream().map(StreamletPort::name).toList();
  }

  /** Explicit values first, then {@link #withConfig} settings, then {@code application.conf}. */
  private Config configFor(String ref) {
    Config parameters =
        ConfigValueFactory.fromMap(configParameterValues).atPath(FlinkStreamletContext.configParametersPath(ref));
    return parameters
        .withFallback(ConfigFactory.parseMap(configValues, "FlinkTestkit.withConfigValue"))
        .withFallback(config())
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** Port names map to synthetic topics; nothing reads them, but streamlets may log or check them. */
  private static Map<String, String> portMappings(StreamletShape shape) {
    Map<String, String> mappings = new LinkedHashMap<>();
    shape.ports().forEach(port -> mappings.put(port.name(), "testkit." + port.name()));
    return mappings;
  }

  /** Fails like the runtime does before a streamlet whose config parameters have no valid value runs. */
  private static void checkConfigParameters(FlinkStreamlet streamlet, FlinkStreamletContext context) {
    List<String> problems =
        ConfigParameter.problems(streamlet.defineConfigParams(), context.streamletRef(), context.streamletConfig());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Streamlet '" + context.streamletRef() + "' cannot run: " + String.join("; ", problems)
              + " (set values with FlinkTestkit.withConfigParameterValue(key, value))");
    }
  }

  /** {@code SensorProcessor} becomes {@code sensor-processor}; an anonymous class {@code streamlet}. */
  static String defaultStreamletRef(FlinkStreamlet streamlet) {
    String name = streamlet.getClass().getSimpleName();
    if (name.isEmpty()) {
      return "streamlet";
    }
    return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
