package cloudflow.flink.plan;

/**
 * How a streamlet's job chooses the state it starts from. Whoever deploys decides: a path given here
 * (or the cluster's own {@code execution.state-recovery.path} when Flink runs the application) is used
 * as given; only a {@code java -jar} or remote-mode process looks for its newest retained checkpoint
 * or savepoint on its own, and only while {@code resumeFromNewest} is on.
 *
 * @param restoreFrom a savepoint or retained checkpoint to start from, or {@code null}; restored
 *     without taking ownership, so it stays on disk for a later roll-back
 * @param allowNonRestoredState start even when the restore point holds state no operator of the job
 *     claims (a removed operator or changed uid): that state is dropped
 * @param resumeFromNewest whether a local or remote-mode job without {@code restoreFrom} resumes from
 *     the newest complete checkpoint or savepoint in its checkpoint directory
 */
public record RestoreSettings(String restoreFrom, boolean allowNonRestoredState, boolean resumeFromNewest) {

  /** No chosen restore point, unclaimed state refused, resume from the newest checkpoint. */
  public static final RestoreSettings DEFAULT = new RestoreSettings(null, false, true);

  /** Empty paths count as none. */
  public RestoreSettings {
    if (restoreFrom != null && restoreFrom.isBlank()) {
      restoreFrom = null;
    }
  }

  /**
   * These settings for a job that an operator resumes or restarts in a running process: it continues
   * from the newest checkpoint or savepoint (the one its suspension took), not again from
   * {@code restoreFrom}; unclaimed state is treated as before.
   */
  public RestoreSettings forResume() {
    return new RestoreSettings(null, allowNonRestoredState, true);
  }
}
