package cloudflow.flink;

import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.Inlet;
import cloudflow.streamlets.Outlet;
import cloudflow.streamlets.StreamletContext;
import cloudflow.streamlets.StreamletContextException;
import cloudflow.streamlets.StreamletShape;
import java.io.Serializable;
import java.util.List;
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
 * <p>A streamlet is {@link Serializable}, as in Cloudflow: the logic is usually an anonymous class
 * inside the streamlet, so a function in {@code buildExecutionGraph()} that calls a method of the
 * logic captures the logic and, through it, the streamlet; both are then shipped to Flink's task
 * managers with the function. Ports and config parameters serialize; mark any other field that
 * does not (a Spring bean, a client, a connection) {@code transient}.
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
public abstract class FlinkStreamlet implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final ThreadLocal<FlinkStreamletContext> CURRENT = new ThreadLocal<>();

  /** The inlets and outlets of this streamlet. Must not build logic or start anything. */
  public abstract StreamletShape shape();

  /**
   * What this streamlet does, for people reading {@code --cloudflow.describe}; empty unless
   * overridden. Cloudflow's descriptor field of the same name.
   */
  public String description() {
    return "";
  }

  /** The inlets of {@link #shape()}; Cloudflow's accessor. */
  public final List<Inlet> inlets() {
    return shape().inlets();
  }

  /** The outlets of {@link #shape()}; Cloudflow's accessor. */
  public final List<Outlet> outlets() {
    return shape().outlets();
  }

  /**
   * The config parameters this streamlet reads, with their types and defaults. Their values are
   * checked before the streamlet runs; the logic reads them with {@code parameter.getValue(context)}.
   *
   * <p>This is the list the runtime, the testkit and {@code --cloudflow.describe} read. By default
   * it is {@link #defineConfigParameters()}, Cloudflow's name for the same hook, so a streamlet
   * overrides one of the two.
   */
  public ConfigParameter<?>[] defineConfigParams() {
    return defineConfigParameters();
  }

  /**
   * Cloudflow's name for {@link #defineConfigParams()}: the hook a streamlet moved over from
   * Cloudflow overrides. Override this one or {@code defineConfigParams()}, not both: the runtime
   * reads {@code defineConfigParams()}, which returns this unless overridden.
   */
  public ConfigParameter<?>[] defineConfigParameters() {
    return new ConfigParameter<?>[0];
  }

  /**
   * The value at {@code configKey} in the streamlet's config parameters, as a string (Cloudflow's
   * helper; same as {@code context.streamletConfig().getString(configKey)}).
   */
  public final String configuredValue(StreamletContext context, String configKey) {
    return context.streamletConfig().getString(configKey);
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
   * @throws StreamletContextException (an {@link IllegalStateException}) when called outside
   *     {@code createLogic()}
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
      throw new StreamletContextException(
          "No streamlet context: getContext() is only available while the runtime calls createLogic()");
    }
    return context;
  }
}
