package cloudflow.flink.runtime;

import cloudflow.flink.JobSetup;
import cloudflow.flink.StoredRestorePoint;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a submitted job knows about its streamlet's state on disk: how it was set up, the streamlet's
 * directory (when this process chose it), the retention to apply after each savepoint, and how
 * often to take one on its own.
 *
 * @param setup how the job was set up, for operators
 * @param streamletDirectory the streamlet's checkpoint directory, or {@code null} when the cluster chooses
 * @param retention what the directory keeps
 * @param savepointInterval time between periodic savepoints; {@code null} or 0: none
 */
record StreamletState(JobSetup setup, Path streamletDirectory, Retention retention, Duration savepointInterval) {

  private static final Logger log = LoggerFactory.getLogger(StreamletState.class);

  /** The savepoints in the streamlet's directory, newest first; empty without a directory. */
  List<StoredRestorePoint> savepoints() {
    return streamletDirectory == null ? List.of() : CheckpointRecovery.savepoints(streamletDirectory);
  }

  /**
   * Applies the retention, keeping the point a restart would resume from and the running job's
   * checkpoints; a failure is logged, not thrown: the savepoint that came before it is still good.
   */
  void prune(String streamletRef, String runningJob) {
    if (streamletDirectory == null) {
      return;
    }
    try {
      int deleted = CheckpointRecovery.prune(streamletDirectory, retention,
          CheckpointRecovery.newestRestorePoint(streamletDirectory), runningJob);
      if (deleted > 0) {
        log.info("Streamlet '{}': deleted {} checkpoints/savepoints beyond the retention ({})", streamletRef, deleted, retention);
      }
    } catch (RuntimeException e) {
      log.warn("Streamlet '{}': cannot apply the retention to {}: {}", streamletRef, streamletDirectory, e.toString());
    }
  }
}
