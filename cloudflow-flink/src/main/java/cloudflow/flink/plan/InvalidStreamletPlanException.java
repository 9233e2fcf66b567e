package cloudflow.flink.plan;

/**
 * What the application asks to run does not fit its streamlets: no streamlet or an unknown one chosen,
 * settings for a streamlet or port that does not exist, a port without a topic, config parameter
 * values missing or invalid. Says what is wrong and what to do, both with the front end's
 * {@linkplain SettingNames names} of the settings at fault.
 */
public class InvalidStreamletPlanException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String action;

  /**
   * Creates the exception.
   *
   * @param description what is wrong, naming the streamlet, port or setting at fault
   * @param action what to do, listing the valid choices where there are some
   */
  public InvalidStreamletPlanException(String description, String action) {
    super(description);
    this.action = action;
  }

  /** What to do about it. */
  public String action() {
    return action;
  }
}
