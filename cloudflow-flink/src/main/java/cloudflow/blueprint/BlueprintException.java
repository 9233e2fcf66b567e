package cloudflow.blueprint;

/** A blueprint cannot be read: the file is missing, is not HOCON, or has the wrong structure. */
public class BlueprintException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with the reason. */
  public BlueprintException(String message) {
    super(message);
  }

  /** Creates an exception with the reason and the underlying cause. */
  public BlueprintException(String message, Throwable cause) {
    super(message, cause);
  }
}
