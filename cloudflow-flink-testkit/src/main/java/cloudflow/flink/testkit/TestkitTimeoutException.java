package cloudflow.flink.testkit;

/**
 * Thrown by {@link FlinkTestkit#run} when the streamlet's job has not finished within the testkit's
 * timeout. The job has been cancelled by then.
 */
public class TestkitTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with the reason. */
  public TestkitTimeoutException(String message) {
    super(message);
  }
}
