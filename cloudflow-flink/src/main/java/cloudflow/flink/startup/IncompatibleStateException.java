package cloudflow.flink.startup;

import java.util.List;

/**
 * The streamlet's job cannot restore an operator's state: the new code's state type cannot read what
 * the restore point holds (for example an Avro field whose type changed from {@code long} to
 * {@code string}), so every restart would fail the same way. The job is stopped instead of
 * restarting again and again; the streamlet never becomes ready.
 */
public final class IncompatibleStateException extends StreamletStartupException {

  private static final long serialVersionUID = 1L;

  private final String restorePoint;
  private final String operator;
  private final List<String> states;

  /**
   * Creates the exception.
   *
   * @param streamletRef the streamlet that cannot start
   * @param restorePoint the savepoint or checkpoint it restores
   * @param operator the uid of the operator whose state cannot be read (its name and id without a uid)
   * @param states the names of that operator's keyed states in the restore point (empty when unknown)
   * @param message what is wrong, with Flink's reason in one line, and the ways out
   */
  public IncompatibleStateException(
      String streamletRef, String restorePoint, String operator, List<String> states, String message) {
    super(streamletRef, message, null);
    this.restorePoint = restorePoint;
    this.operator = operator;
    this.states = List.copyOf(states);
  }

  /** The savepoint or checkpoint the streamlet restores. */
  public String restorePoint() {
    return restorePoint;
  }

  /** The uid of the operator whose state cannot be read (its name and id without a uid). */
  public String operator() {
    return operator;
  }

  /** The names of the operator's keyed states in the restore point. */
  public List<String> states() {
    return states;
  }

  @Override
  public Fix fix() {
    return Fix.RESTORE_POINT;
  }
}
