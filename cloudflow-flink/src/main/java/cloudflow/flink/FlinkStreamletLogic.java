package cloudflow.flink;

import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The logic of one run of a {@link FlinkStreamlet}: {@link #buildExecutionGraph()} reads the inlets
 * with {@link #readStream}, transforms the streams with Flink's DataStream API and writes the results
 * with {@link #writeStream}. The runtime then submits the graph as one Flink job.
 *
 * <p>The logic is {@link Serializable}, as in Cloudflow: a function passed to a Flink operator that
 * calls a method of the logic ({@code ins.map(r -> format(r))}) captures the logic, and the logic,
 * its context (without the Flink environment, which is transient) and its enclosing streamlet
 * are shipped to the task managers with the function. On a task manager, {@link #config()},
 * {@link #streamletRef()} and the config parameters can still be read; the environment, the
 * ports' streams and anything Spring cannot. Functions that capture nothing are still the lightest.
 */
public abstract class FlinkStreamletLogic implements Serializable {

  private static final long serialVersionUID = 1L;

  private final FlinkStreamletContext context;

  /** Creates logic bound to the given context (usually {@code getContext()} of the streamlet). */
  protected FlinkStreamletLogic(FlinkStreamletContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /** Creates logic bound to the context of the run being created. */
  protected FlinkStreamletLogic() {
    this(FlinkStreamlet.currentContext());
  }

  /** Builds the job graph: read the inlets, transform, write the outlets. */
  public abstract void buildExecutionGraph();

  /** The context of this run. */
  public final FlinkStreamletContext getContext() {
    return context;
  }

  /** Cloudflow's other name for {@link #getContext()}. */
  public final FlinkStreamletContext context() {
    return context;
  }

  /** The name of this streamlet in the application; same as {@code getContext().streamletRef()}. */
  public final String streamletRef() {
    return context.streamletRef();
  }

  /** The configuration of this run; same as {@code getContext().config()}. */
  public final Config config() {
    return context.config();
  }

  /** The Flink environment the job graph is built in; only while the graph is built (not on task managers). */
  public final StreamExecutionEnvironment env() {
    return context.env();
  }

  /** The records arriving on {@code inlet}. */
  public final <T> DataStream<T> readStream(CodecInlet<T> inlet) {
    return context.readStream(inlet);
  }

  /** The records arriving on {@code inlet}; the class argument is kept for Cloudflow compatibility. */
  public final <T> DataStream<T> readStream(CodecInlet<T> inlet, Class<T> recordClass) {
    return context.readStream(inlet);
  }

  /** Writes {@code stream} to {@code outlet}, keyed by the outlet's partitioner. */
  public final <T> DataStreamSink<T> writeStream(CodecOutlet<T> outlet, DataStream<T> stream) {
    return context.writeStream(outlet, stream);
  }

  /** Writes {@code stream} to {@code outlet}; the class argument is kept for Cloudflow compatibility. */
  public final <T> DataStreamSink<T> writeStream(
      CodecOutlet<T> outlet, DataStream<T> stream, Class<T> recordClass) {
    return context.writeStream(outlet, stream);
  }
}
