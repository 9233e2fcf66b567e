package cloudflow.flink;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;

/**
 * A running streamlet: the handle the runtime returns after submitting its Flink job.
 */
public interface StreamletExecution {

  /** The name of the streamlet in the application. */
  String streamletRef();

  /** The job's status as last seen. */
  JobStatus status();

  /**
   * Whether the job runs, as last seen: its status is RUNNING and every one of its tasks runs (not
   * still scheduled, deploying or initializing, as while the job starts or waits for task slots
   * after a restart). Where the tasks cannot be seen, the status alone decides.
   */
  default boolean running() {
    return status() == JobStatus.RUNNING;
  }

  /** The status for people: its name, with the tasks' states while a RUNNING job's tasks are starting. */
  default String describe() {
    return status().name();
  }

  /** How many times the job has restarted since it was submitted, as last seen; 0 where it cannot be seen. */
  default int restarts() {
    return 0;
  }

  /** The job's newest completed checkpoint or savepoint, as last seen; empty before the first or where it cannot be seen. */
  default Optional<CheckpointSummary> lastCompletedCheckpoint() {
    return Optional.empty();
  }

  /**
   * When the job restarted and since when it runs, as last seen; {@link JobTimeline#UNKNOWN} where it
   * cannot be seen.
   */
  default JobTimeline timeline() {
    return JobTimeline.UNKNOWN;
  }

  /** The Flink job's id; empty where it is not known. */
  default Optional<String> jobId() {
    return Optional.empty();
  }

  /** How the job was set up when it was submitted; empty where it is not known. */
  default Optional<JobSetup> setup() {
    return Optional.empty();
  }

  /** The savepoints in the streamlet's directory, newest first; empty where there is none or it is not known. */
  default List<StoredRestorePoint> savepointsOnDisk() {
    return List.of();
  }

  /**
   * Takes a savepoint of the running job now, in the streamlet's savepoint directory.
   *
   * @return completes with the savepoint's path; fails with a {@link StreamletControlException}:
   *     {@link StreamletControlException.Conflict} when the job does not run (every task must),
   *     {@link StreamletControlException.Failed} when Flink could not take it
   */
  default CompletableFuture<String> savepoint() {
    return CompletableFuture.failedFuture(new StreamletControlException.Conflict(
        "Streamlet '" + streamletRef() + "' cannot take savepoints on request"));
  }

  /** The savepoint the job was {@linkplain #stop() stopped} with, once it was; empty otherwise. */
  default Optional<String> stoppedWithSavepoint() {
    return Optional.empty();
  }

  /** Completes when the job {@linkplain #running() runs} for the first time; fails if it ends before that. */
  CompletableFuture<Void> ready();

  /** Completes when the job has ended: normally, or exceptionally when it failed. */
  CompletableFuture<Void> completed();

  /** Stops the job and completes when it has ended. Calling it again returns the same future. */
  CompletableFuture<Void> stop();
}
