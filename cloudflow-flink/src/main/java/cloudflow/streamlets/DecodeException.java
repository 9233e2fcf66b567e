package cloudflow.streamlets;

/** Thrown by a {@link Codec} when bytes cannot be decoded into a record. */
public class DecodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with the reason and the underlying cause. */
  public DecodeException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Why an exception happened, in words for a log line or a dead-letter header, never {@code "null"}:
   * its message, else its class name followed by the reason of its cause, if any (decoders such as
   * Avro's throw {@code EOFException}s and index errors without a message).
   */
  public static String reasonOf(Throwable e) {
    if (e.getMessage() != null) {
      return e.getMessage();
    }
    Throwable cause = e.getCause();
    return e.getClass().getName() + (cause == null || cause == e ? "" : ": " + reasonOf(cause));
  }
}
