package cloudflow.streamlets;

/** Thrown by a {@link Codec} when bytes cannot be decoded into a record. */
public class DecodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with the reason and the underlying cause. */
  public DecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
