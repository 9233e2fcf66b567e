package cloudflow.streamlets;

/**
 * Thrown when a streamlet's context is asked for outside the runtime's call of
 * {@code createLogic()}. Cloudflow's name; it is an {@link IllegalStateException}.
 */
public class StreamletContextException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with its message. */
  public StreamletContextException(String message) {
    super(message);
  }
}
