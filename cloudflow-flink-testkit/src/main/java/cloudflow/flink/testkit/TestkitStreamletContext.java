package cloudflow.flink.testkit;

import static cloudflow.flink.kafka.KafkaStreamletContext.OUTLET_OPERATOR_PREFIX;

import cloudflow.flink.FlinkStreamletContext;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.StreamletPort;
import cloudflow.streamlets.StreamletShape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The context of a testkit run: inlets read their taps' bounded streams, and what the logic writes to
 * an outlet is keyed, encoded and, for a tapped outlet, recorded by an {@link OutletRecorder}.
 */
final class TestkitStreamletContext extends FlinkStreamletContext {

  private static final long serialVersionUID = 1L;

  /** The name Cloudflow's testkit ran every streamlet under; its tests set parameters there. */
  static final String CLOUDFLOW_TEST_STREAMLET_REF = "testFlinkStreamlet";

  // What a logic captured by a function may still read on a task manager...
  private final Config config;
  private final String streamletRef;
  private final Map<String, String> portMappings;
  // ...and what only the client building the job needs.
  private final transient StreamExecutionEnvironment env;
  private final transient StreamletShape shape;
  private final transient Map<String, FlinkInletTap<?>> inletTaps;
  private final transient Set<String> tappedOutlets;
  private final transient Map<String, DataStream<?>> inletStreams = new HashMap<>();

  TestkitStreamletContext(
      StreamExecutionEnvironment env,
      Config config,
      String streamletRef,
      Map<String, String> portMappings,
      StreamletShape shape,
      Map<String, FlinkInletTap<?>> inletTaps,
      Set<String> tappedOutlets) {
    this.env = env;
    this.config = config;
    this.streamletRef = streamletRef;
    this.portMappings = Map.copyOf(portMappings);
    this.shape = shape;
    this.inletTaps = Map.copyOf(inletTaps);
    this.tappedOutlets = Set.copyOf(tappedOutlets);
  }

  @Override
  public StreamExecutionEnvironment env() {
    return env;
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public String streamletRef() {
    return streamletRef;
  }

  /**
   * The streamlet's config parameters as in an application
   * ({@code cloudflow.streamlets.<ref>.config-parameters}), falling back to where a Cloudflow test
   * put them: directly under {@code cloudflow.streamlets.testFlinkStreamlet}, the one name
   * Cloudflow's testkit ran streamlets under.
   */
  @Override
  public Config streamletConfig() {
    String cloudflowPath = ConfigUtil.joinPath("cloudflow", "streamlets", CLOUDFLOW_TEST_STREAMLET_REF);
    Config ours = super.streamletConfig();
    return config.hasPath(cloudflowPath) ? ours.withFallback(config.getConfig(cloudflowPath)) : ours;
  }

  @Override
  public Map<String, String> portMappings() {
    return portMappings;
  }

  /**
   * The tap's stream; reading the same inlet twice gives the same stream, as the records arriving on
   * an inlet are one stream.
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> DataStream<T> readStream(CodecInlet<T> inlet) {
    requireInShape(inlet, shape.inlets(), "inlet");
    FlinkInletTap<T> tap = (FlinkInletTap<T>) inletTaps.get(inlet.name());
    return (DataStream<T>) inletStreams.computeIfAbsent(inlet.name(), name -> tap.streamIn(env));
  }

  /**
   * Records the stream (for a tapped outlet) and ends it in a sink of its own, so that the caller gets
   * a {@code DataStreamSink<T>} as from the Kafka runtime.
   */
  @Override
  public <T> DataStreamSink<T> writeStream(CodecOutlet<T> outlet, DataStream<T> stream) {
    requireInShape(outlet, shape.outlets(), "outlet");
    String name = OUTLET_OPERATOR_PREFIX + outlet.name();
    String accumulator = tappedOutlets.contains(outlet.name()) ? OutletRecorder.accumulatorName(outlet.name()) : null;
    return stream
        .map(new OutletRecorder<>(outlet.partitioner(), outlet.codec(), accumulator))
        .returns(stream.getType())
        .name(name)
        .sinkTo(new DiscardingSink<>())
        .name(name);
  }

  private void requireInShape(StreamletPort port, List<? extends StreamletPort> ports, String kind) {
    if (ports.stream().noneMatch(p -> p.name().equals(port.name()))) {
      throw new IllegalArgumentException(
          "Streamlet '" + streamletRef + "' uses " + kind + " '" + port.name() + "' which is not in its shape "
              + shape);
    }
  }
}
