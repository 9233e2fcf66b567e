package cloudflow.flink.runtime;

import cloudflow.flink.plan.SettingNames;
import cloudflow.flink.startup.IncompatibleStateException;
import java.io.IOException;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a job that restored state from a savepoint or checkpoint, until the restore is settled:
 *
 * <ul>
 *   <li>while its tasks start (job on a cluster in this JVM), it looks at each failed task's cause:
 *       a {@linkplain StateRestoreFailure state restore failure} fails the streamlet at once with an
 *       {@link IncompatibleStateException}, instead of a restart loop that would fail the same way each
 *       time;
 *   <li>at its first completed checkpoint (a checkpoint directory on a file system this process reads),
 *       it compares each operator's keyed state names with the restore point's: a state the restore
 *       point did not have next to a restored one, or a restored one that is gone, is what a renamed or
 *       removed state descriptor looks like. Flink restores by state name and keeps a restored state
 *       that no code reads, so a renamed descriptor starts every key from empty without an error: this
 *       is warned about, not refused, as a new state next to the old one is a legitimate change too.
 * </ul>
 */
final class RestoreWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RestoreWatch.class);
  private static final long POLL_MILLIS = 200;

  private final RestoreCheck check;
  private final MiniCluster cluster;
  private final JobID job;
  private final Path runDirectory;
  private final SettingNames names;
  private final Consumer<IncompatibleStateException> onFailure;
  private final ScheduledExecutorService scheduler;
  private volatile boolean restoring = true;

  private RestoreWatch(RestoreCheck check, MiniCluster cluster, JobID job, Path runDirectory, SettingNames names,
      Consumer<IncompatibleStateException> onFailure) {
    this.check = check;
    this.cluster = cluster;
    this.job = job;
    this.runDirectory = runDirectory;
    this.names = names;
    this.onFailure = onFailure;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "streamlet-" + check.streamletRef() + "-restore");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts following a job.
   *
   * @param check the restore point and the new job
   * @param cluster the cluster in this JVM that runs the job, or {@code null} (no view of task failures)
   * @param job the job
   * @param checkpointDirectory the streamlet's checkpoint directory (the job writes to
   *     {@code <dir>/<job id>/chk-<n>}), or {@code null}
   * @param names how messages spell the settings
   * @param onFailure called once with the typed error when the restore cannot succeed
   */
  static RestoreWatch start(RestoreCheck check, MiniCluster cluster, JobID job, String checkpointDirectory,
      SettingNames names, Consumer<IncompatibleStateException> onFailure) {
    Path runDirectory = checkpointDirectory == null ? null : new Path(checkpointDirectory, job.toHexString());
    RestoreWatch watch = new RestoreWatch(check, cluster, job, runDirectory, names, onFailure);
    watch.scheduler.scheduleWithFixedDelay(watch::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return watch;
  }

  /** The job runs with all its tasks: the restore succeeded, only the first checkpoint is left to look at. */
  void restored() {
    restoring = false;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  /**
   * Ends the polling from within a poll: unlike {@link #close()} it does not interrupt this thread,
   * whose file reads (an S3 or a Hadoop file system may be interruptible) come next.
   */
  private void stopPolling() {
    scheduler.shutdown();
  }

  private void poll() {
    try {
      if (restoring && cluster != null) {
        Optional<IncompatibleStateException> failure = restoreFailure();
        if (failure.isPresent()) {
          stopPolling();
          onFailure.accept(failure.get());
          return;
        }
      }
      if (!restoring) {
        if (runDirectory == null) {
          stopPolling();
          return;
        }
        Optional<Path> first = firstCheckpoint();
        if (first.isPresent()) {
          stopPolling();
          compareStateNames(first.get());
        }
      }
    } catch (RuntimeException e) {
      log.debug("Restore check of streamlet '{}' skipped once: {}", check.streamletRef(), e.toString());
    }
  }

  private Optional<IncompatibleStateException> restoreFailure() {
    AccessExecutionGraph graph;
    try {
      graph = cluster.getExecutionGraph(job).get(POLL_MILLIS * 10, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return Optional.empty(); // not there yet, or already gone: its result tells the rest
    }
    for (AccessExecutionJobVertex vertex : graph.getAllVertices().values()) {
      for (AccessExecutionVertex task : vertex.getTaskVertices()) {
        Optional<ErrorInfo> failure = task.getFailureInfo();
        if (failure.isPresent()) {
          Optional<IncompatibleStateException> typed =
              StateRestoreFailure.classify(check, vertex.getJobVertexId(), failure.get().getException(), names);
          if (typed.isPresent()) {
            return typed;
          }
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Path> firstCheckpoint() {
    try {
      FileSystem fs = runDirectory.getFileSystem();
      if (!fs.exists(runDirectory)) {
        return Optional.empty();
      }
      FileStatus[] entries = fs.listStatus(runDirectory);
      Path first = null;
      long firstId = Long.MAX_VALUE;
      for (FileStatus entry : entries == null ? new FileStatus[0] : entries) {
        String name = entry.getPath().getName();
        if (entry.isDir() && name.matches("chk-\\d+") && fs.exists(new Path(entry.getPath(), "_metadata"))) {
          long id = Long.parseLong(name.substring(4));
          if (id < firstId) {
            firstId = id;
            first = entry.getPath();
          }
        }
      }
      return Optional.ofNullable(first);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void compareStateNames(Path checkpoint) {
    RestorePoint now = RestorePoint.read(checkpoint.toString(), Thread.currentThread().getContextClassLoader());
    for (RestorePoint.Operator restored : check.point().operators()) {
      SortedSet<String> before = restored.keyedStates();
      if (before == null || before.isEmpty() || check.unclaimed().contains(restored)) {
        continue;
      }
      SortedSet<String> after = now.operator(restored.id()).map(RestorePoint.Operator::keyedStates)
          .orElse(new TreeSet<>());
      if (after == null) {
        continue;
      }
      SortedSet<String> added = new TreeSet<>(after);
      added.removeAll(before);
      SortedSet<String> gone = new TreeSet<>(before);
      gone.removeAll(after);
      if (added.isEmpty() && gone.isEmpty()) {
        continue;
      }
      String operator = check.label(restored.id());
      String restoreFrom = names.of("streamlets." + check.streamletRef() + ".restore-from") + "=" + check.point().path();
      if (!added.isEmpty()) {
        log.warn("Streamlet '{}': operator {} now keeps keyed state {} that {} does not have, next to {} it restored{}. "
                + "If {} is {} renamed (a new name in its state descriptor), every key of it started from empty and "
                + "the restored values are no longer read: give the descriptor its old name back and start again with "
                + "{} (still on disk). If it is a new state, ignore this.",
            check.streamletRef(), operator, RestorePoint.quoted(added), check.point().path(), RestorePoint.quoted(before),
            gone.isEmpty() ? "" : " (" + RestorePoint.quoted(gone) + " no longer kept)", RestorePoint.quoted(added),
            RestorePoint.quoted(before), restoreFrom);
      } else {
        log.warn("Streamlet '{}': operator {} no longer keeps keyed state {} that it restored from {}: a state "
                + "descriptor was renamed or removed, and that state is dropped. To keep it, give the descriptor its "
                + "old name back and start again with {} (still on disk).",
            check.streamletRef(), operator, RestorePoint.quoted(gone), check.point().path(), restoreFrom);
      }
    }
  }
}
