package cloudflow.flink.testkit;

import cloudflow.streamlets.CodecInlet;
import java.util.Objects;
import java.util.function.Function;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.LegacySourceTransformation;
import org.apache.flink.streaming.api.transformations.WithBoundedness;

/**
 * Feeds an inlet of the streamlet under test with a bounded stream of records instead of a Kafka
 * topic. Created by {@link FlinkTestkit#inletAsTap}.
 *
 * <p>A tap made from a list or a function builds its stream anew in each run, so it can be reused;
 * a tap made from a ready {@link DataStream} belongs to that stream's environment and one run.
 *
 * @param <T> the inlet's record type
 */
public final class FlinkInletTap<T> {

  private final CodecInlet<T> inlet;
  private final Function<StreamExecutionEnvironment, DataStream<T>> source;
  private final StreamExecutionEnvironment boundEnvironment;

  FlinkInletTap(
      CodecInlet<T> inlet,
      Function<StreamExecutionEnvironment, DataStream<T>> source,
      StreamExecutionEnvironment boundEnvironment) {
    this.inlet = Objects.requireNonNull(inlet, "inlet");
    this.source = Objects.requireNonNull(source, "source");
    this.boundEnvironment = boundEnvironment;
  }

  /** The tapped inlet. */
  public CodecInlet<T> inlet() {
    return inlet;
  }

  /** The name of the tapped inlet. */
  public String portName() {
    return inlet.name();
  }

  /** The environment of the ready stream this tap was made from, or {@code null}. */
  StreamExecutionEnvironment boundEnvironment() {
    return boundEnvironment;
  }

  /**
   * Builds the inlet's stream in {@code env}.
   *
   * @throws IllegalArgumentException when the stream belongs to another environment or reads an
   *     unbounded source, which would keep the job from ever finishing
   */
  DataStream<T> streamIn(StreamExecutionEnvironment env) {
    DataStream<T> stream = source.apply(env);
    if (stream == null) {
      throw new IllegalArgumentException("The source of inlet tap '" + portName() + "' returned no stream");
    }
    if (stream.getExecutionEnvironment() != env) {
      throw new IllegalArgumentException(
          "The stream of inlet tap '" + portName() + "' was built in another StreamExecutionEnvironment than the"
              + " run's; build it from the environment passed to the tap's function, or pass its environment to"
              + " FlinkTestkit.run(streamlet, inletTaps, outletTaps, env)");
    }
    for (Transformation<?> step : stream.getTransformation().getTransitivePredecessors()) {
      if (step instanceof WithBoundedness bounded
          && bounded.getBoundedness() == Boundedness.CONTINUOUS_UNBOUNDED
          && !isCollectionSource(step)) {
        throw new IllegalArgumentException(
            "Inlet tap '" + portName() + "' reads the unbounded source '" + step.getName()
                + "': the testkit waits for the job to finish, so inlet taps must be bounded");
      }
    }
    return stream;
  }

  /**
   * Whether {@code step} is {@code env.addSource(FlinkSource.collectionSourceFunction(..))}: Flink
   * calls every legacy source unbounded, but this one ends after its list.
   */
  @SuppressWarnings("deprecation")
  private static boolean isCollectionSource(Transformation<?> step) {
    return step instanceof LegacySourceTransformation<?> legacy
        && legacy.getOperator().getUserFunction() instanceof FlinkSource.CollectionSourceFunction<?>;
  }

  @Override
  public String toString() {
    return "FlinkInletTap(" + portName() + ")";
  }
}
