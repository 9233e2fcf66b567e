package cloudflow.flink.testkit;

/**
 * Thrown by {@link FlinkTestkit#run} when the streamlet's job could not be submitted or failed while
 * running. The message names the streamlet and the root cause; the cause is Flink's own exception.
 */
public class StreamletFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with the reason and the underlying cause. */
  public StreamletFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
