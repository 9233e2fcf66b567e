package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.CheckpointSummary;
import cloudflow.flink.JobSetup;
import cloudflow.flink.StoredRestorePoint;
import cloudflow.flink.StreamletControlException;
import cloudflow.flink.StreamletExecution;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;

/**
 * A streamlet an operator suspended: its job was stopped with a savepoint and the process stays up
 * until it is resumed. Its status is SUSPENDED, so readiness is DOWN (nothing is processed) and
 * liveness UP (nothing is broken); what its last job showed (id, setup, checkpoints) stays visible.
 */
final class SuspendedExecution implements StreamletExecution {

  private final StreamletExecution stopped;

  SuspendedExecution(StreamletExecution stopped) {
    this.stopped = stopped;
  }

  @Override
  public String streamletRef() {
    return stopped.streamletRef();
  }

  @Override
  public JobStatus status() {
    return JobStatus.SUSPENDED;
  }

  @Override
  public boolean running() {
    return false;
  }

  /** The reason readiness is DOWN, with the way back, as the health details show it. */
  @Override
  public String describe() {
    return "SUSPENDED by an operator, "
        + stopped.stoppedWithSavepoint().map(path -> "with savepoint " + path).orElse("without a savepoint (its job "
            + stopped.status() + "); it resumes from its newest checkpoint")
        + "; resume it with POST /actuator/streamlets/" + streamletRef() + " {\"action\":\"resume\"}";
  }

  @Override
  public int restarts() {
    return stopped.restarts();
  }

  @Override
  public Optional<CheckpointSummary> lastCompletedCheckpoint() {
    return stopped.lastCompletedCheckpoint();
  }

  @Override
  public Optional<String> jobId() {
    return stopped.jobId();
  }

  @Override
  public Optional<JobSetup> setup() {
    return stopped.setup();
  }

  @Override
  public List<StoredRestorePoint> savepointsOnDisk() {
    return stopped.savepointsOnDisk();
  }

  @Override
  public Optional<String> stoppedWithSavepoint() {
    return stopped.stoppedWithSavepoint();
  }

  @Override
  public CompletableFuture<String> savepoint() {
    return CompletableFuture.failedFuture(new StreamletControlException.Conflict(
        "Streamlet '" + streamletRef() + "' is suspended: its job does not run"
            + stopped.stoppedWithSavepoint().map(path -> " (it was stopped with savepoint " + path + ")").orElse("")
            + "; resume it first"));
  }

  @Override
  public CompletableFuture<Void> ready() {
    return CompletableFuture.failedFuture(new IllegalStateException("Streamlet '" + streamletRef() + "' is suspended"));
  }

  @Override
  public CompletableFuture<Void> completed() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> stop() {
    return CompletableFuture.completedFuture(null);
  }
}
