package cloudflow.flink.runtime;

/** Thrown when a streamlet's job graph cannot be built or its job cannot be submitted. */
public class StreamletSubmissionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with the reason and the underlying cause. */
  public StreamletSubmissionException(String message, Throwable cause) {
    super(message, cause);
  }
}
