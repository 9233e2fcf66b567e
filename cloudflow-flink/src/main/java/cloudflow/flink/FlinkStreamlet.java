package cloudflow.flink;

import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.StreamletShape;
import java.util.Objects;

/**
 * A streamlet whose logic runs as a Flink job.
 *
 * <p>A streamlet is metadata plus a factory: {@link #shape()} declares its ports and can be read at
 * any time without starting anything; {@link #createLogic()} is called by the runtime once per run
 * and returns the {@link FlinkStreamletLogic} that holds whatever state the run needs. The streamlet
 * itself holds no per-run state, which is why one instance (for example a Spring singleton bean) can
 * be verified, described and run.
 *
 * <pre>{@code
 * public class Doubler extends FlinkStreamlet {
 *   final AvroInlet<Number> in = AvroInlet.create("in", Number.class);
 *   final AvroOutlet<Number> out = AvroOutlet.create("out", n -> n.getId(), Number.class);
 *
 *   public StreamletShape shape() {
 *     return StreamletShape.createWithInlets(in).withOutlets(out);
 *   }
 *
 *   public FlinkStreamletLogic createLogic() {
 *     return new FlinkStreamletLogic(getContext()) {
 *       public void buildExecutionGraph() {
 *         writeStream(out, readStream(in).map(n -> new Number(n.getId(), n.getValue() * 2)));
 *       }
 *     };
 *   }
 * }
 * }</pre>
 */
public abstract class FlinkStreamlet {

  private static final ThreadLocal<FlinkStreamletContext> CURRENT = new ThreadLocal<>();

  /** The inlets and outlets of this streamlet. Must not build logic or start anything. */
  public abstract StreamletShape shape();

  /**
   * The config parameters this streamlet reads, with their types and defaults. Their values are
   * checked before the streamlet runs; the logic reads them with {@code parameter.getValue(context)}.
   */
  public ConfigParameter<?>[] defineConfigParams() {
    return new ConfigParameter<?>[0];
  }

  /**
   * Creates the logic of one run. Called by the runtime, which makes the run's context available
   * through {@link #getContext()} for the duration of this call.
   */
  public abstract FlinkStreamletLogic createLogic();

  /**
   * The context of the run being created. Only available while the runtime calls
   * {@link #createLogic()}.
   *
   * @throws IllegalStateException when called outside {@code createLogic()}
   */
  protected final FlinkStreamletContext getContext() {
    return currentContext();
  }

  /**
   * Creates this streamlet's logic for a run with the given context. Runtimes and test kits call
   * this instead of {@link #createLogic()} so that {@link #getContext()} works inside it.
   */
  public final FlinkStreamletLogic createLogic(FlinkStreamletContext context) {
    Objects.requireNonNull(context, "context");
    FlinkStreamletContext previous = CURRENT.get();
    CURRENT.set(context);
    try {
      FlinkStreamletLogic logic = createLogic();
      if (logic == null) {
        throw new IllegalStateException(
            "createLogic() of " + getClass().getName() + " returned null");
      }
      return logic;
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  static FlinkStreamletContext currentContext() {
    FlinkStreamletContext context = CURRENT.get();
    if (context == null) {
      throw new IllegalStateException(
          "No streamlet context: getContext() is only available while the runtime calls createLogic()");
    }
    return context;
  }
}
