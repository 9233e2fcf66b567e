package cloudflow.flink.startup;

import java.util.List;

/**
 * The restore point holds state of operators the streamlet's new job does not have (an operator
 * removed, or its uid changed), and dropping it was not allowed. Found before the job is submitted,
 * by comparing the restore point's operators with the new job graph.
 */
public final class UnclaimedStateException extends StreamletStartupException {

  private static final long serialVersionUID = 1L;

  private final String restorePoint;
  private final List<String> operators;

  /**
   * Creates the exception.
   *
   * @param streamletRef the streamlet that cannot start
   * @param restorePoint the savepoint or checkpoint it was to restore
   * @param operators the uids (or, without a uid, the names and ids) of the operators whose state no
   *     operator of the new job claims
   * @param message what is wrong, naming the operators, their states and the ways out
   */
  public UnclaimedStateException(String streamletRef, String restorePoint, List<String> operators, String message) {
    super(streamletRef, message, null);
    this.restorePoint = restorePoint;
    this.operators = List.copyOf(operators);
  }

  /** The savepoint or checkpoint the streamlet was to restore. */
  public String restorePoint() {
    return restorePoint;
  }

  /** The operators (uids, or names and ids without one) whose state nothing in the new job claims. */
  public List<String> operators() {
    return operators;
  }

  @Override
  public Fix fix() {
    return Fix.RESTORE_POINT;
  }
}
