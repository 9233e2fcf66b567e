package cloudflow.flink.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.streaming.api.functions.source.legacy.SourceFunction;

/**
 * Cloudflow's testkit helper that turns a list into a legacy {@code SourceFunction}, kept so that a
 * Cloudflow test runs with an import change at most:
 *
 * <pre>{@code
 * testkit.getInletAsTap(streamlet.in,
 *     env.addSource(FlinkSource.collectionSourceFunction(data), TypeInformation.of(Data.class)), Data.class);
 * }</pre>
 *
 * <p>Flink 2 keeps {@code SourceFunction} only as an internal legacy API ({@code env.addSource} still
 * accepts it). The testkit knows this source ends after its list, so it accepts it as a bounded inlet
 * tap. New tests use {@link FlinkTestkit#inletAsTap(cloudflow.streamlets.CodecInlet, List)} instead.
 *
 * @deprecated a compatibility shim for Cloudflow tests; use {@code testkit.inletAsTap(inlet, records)}
 */
@Deprecated
public final class FlinkSource {

  private FlinkSource() {}

  /**
   * A source that emits {@code data} in order, then ends; Cloudflow's Java API.
   *
   * @deprecated use {@code testkit.inletAsTap(inlet, records)}
   */
  @Deprecated
  public static <T> CollectionSourceFunction<T> collectionSourceFunction(List<T> data) {
    return new CollectionSourceFunction<>(data);
  }

  /**
   * Emits a fixed list of records, then ends. Not parallel: {@code env.addSource} runs it as one
   * subtask.
   *
   * @param <T> the record type
   * @deprecated use {@code testkit.inletAsTap(inlet, records)}
   */
  @Deprecated
  public static final class CollectionSourceFunction<T> implements SourceFunction<T> {

    private static final long serialVersionUID = 1L;

    // an ArrayList, so the records travel to the task with the function
    private final ArrayList<T> data;
    private volatile boolean running = true;

    /** A source of {@code data}, which must be serializable as the function is shipped to the task. */
    public CollectionSourceFunction(List<T> data) {
      this.data = new ArrayList<>(Objects.requireNonNull(data, "data"));
    }

    /** The records this source emits. */
    public List<T> data() {
      return List.copyOf(data);
    }

    @Override
    public void run(SourceContext<T> ctx) {
      for (T record : data) {
        if (!running) {
          return;
        }
        synchronized (ctx.getCheckpointLock()) {
          ctx.collect(record);
        }
      }
    }

    @Override
    public void cancel() {
      running = false;
    }
  }
}
