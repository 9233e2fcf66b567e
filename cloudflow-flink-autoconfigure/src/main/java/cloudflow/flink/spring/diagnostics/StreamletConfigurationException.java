package cloudflow.flink.spring.diagnostics;

/**
 * A streamlet application is configured in a way that cannot run: no streamlets, an unknown or
 * ambiguous streamlet selection, a port without a topic, a shape that cannot be read. Carries what to
 * do about it, which {@link StreamletConfigurationFailureAnalyzer} prints at startup.
 */
public class StreamletConfigurationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String action;

  /**
   * Creates the exception.
   *
   * @param description what is wrong, naming the streamlet, port or property at fault
   * @param action what the user should do, listing the valid choices where there are some
   */
  public StreamletConfigurationException(String description, String action) {
    this(description, action, null);
  }

  /** Creates the exception with an underlying cause. */
  public StreamletConfigurationException(String description, String action, Throwable cause) {
    super(description, cause);
    this.action = action;
  }

  /** What the user should do. */
  public String getAction() {
    return action;
  }
}
