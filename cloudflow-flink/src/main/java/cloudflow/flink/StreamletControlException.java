package cloudflow.flink;

/**
 * An operator's request about a running streamlet (a savepoint, suspend, resume, restart) that cannot
 * be carried out; the message says why and what to do instead. The subtypes say which kind of
 * problem it is, so that a caller (the {@code streamlets} actuator endpoint) answers with the
 * matching status without reading the message.
 */
public abstract sealed class StreamletControlException extends RuntimeException {

  private StreamletControlException(String message, Throwable cause) {
    super(message, cause);
  }

  /** No streamlet of that name runs in this process. */
  public static final class UnknownStreamlet extends StreamletControlException {
    /** @param message names the streamlet and those that do run */
    public UnknownStreamlet(String message) {
      super(message, null);
    }
  }

  /** The request does not fit the streamlet's state (a savepoint of a suspended job, say). */
  public static final class Conflict extends StreamletControlException {
    /** @param message names the state and the request that fits it */
    public Conflict(String message) {
      super(message, null);
    }
  }

  /** The request fitted, but Flink could not carry it out (a savepoint that failed or timed out). */
  public static final class Failed extends StreamletControlException {
    /**
     * @param message what failed
     * @param cause Flink's failure
     */
    public Failed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
