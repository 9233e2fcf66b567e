package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.StoredRestorePoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRecoveryTest {

  private static final String RUN_1 = "0123456789abcdef0123456789abcdef";
  private static final String RUN_2 = "fedcba9876543210fedcba9876543210";

  @TempDir java.nio.file.Path root;

  @Test
  void derivesTheSameStreamletIdForTheSameApplicationAndStreamlet() {
    assertThat(CheckpointRecovery.streamletId("app", "processor")).isEqualTo(CheckpointRecovery.streamletId("app", "processor"))
        .matches("[0-9a-f]{32}")
        .isNotEqualTo(CheckpointRecovery.streamletId("app", "ingress"))
        .isNotEqualTo(CheckpointRecovery.streamletId("other-app", "processor"));
  }

  @Test
  void findsNothingInAnEmptyOrMissingDirectory() {
    assertThat(CheckpointRecovery.newestRestorePoint(streamletDirectory())).isEmpty();
  }

  @Test
  void restoresTheNewestCompletePointOfAnyRunOrSavepoint() throws IOException {
    point(RUN_1 + "/chk-3", 1_000, true);
    point(RUN_2 + "/chk-7", 3_000, true);
    point(RUN_2 + "/chk-8", 5_000, false); // in progress: no _metadata
    point("savepoints/savepoint-aa-1", 2_000, true);
    point("not-a-job-id/chk-9", 9_000, true);

    assertThat(CheckpointRecovery.newestRestorePoint(streamletDirectory()))
        .contains(new Path(streamletDirectory(), RUN_2 + "/chk-7"));

    point("savepoints/savepoint-aa-2", 4_000, true);
    assertThat(CheckpointRecovery.newestRestorePoint(streamletDirectory()))
        .contains(new Path(streamletDirectory(), "savepoints/savepoint-aa-2"));
  }

  @Test
  void prunesOldPointsButNeverTheOneToRestore() throws IOException {
    point(RUN_1 + "/chk-1", 1_000, true);
    point(RUN_1 + "/chk-2", 2_000, true);
    point(RUN_2 + "/chk-5", 3_000, true);
    point("savepoints/savepoint-aa-1", 500, true);
    point("savepoints/savepoint-aa-2", 600, true);
    Optional<Path> restore = Optional.of(new Path(streamletDirectory(), RUN_1 + "/chk-1"));

    int deleted = CheckpointRecovery.prune(streamletDirectory(), 1, restore);

    assertThat(deleted).isEqualTo(2);
    assertThat(root.resolve("s/" + RUN_1 + "/chk-1")).exists();
    assertThat(root.resolve("s/" + RUN_1 + "/chk-2")).doesNotExist();
    assertThat(root.resolve("s/" + RUN_2 + "/chk-5")).exists();
    assertThat(root.resolve("s/savepoints/savepoint-aa-1")).doesNotExist();
    assertThat(root.resolve("s/savepoints/savepoint-aa-2")).exists();
  }

  @Test
  void retentionCountsSavepointsApartAndKeepsTheRunningJobsCheckpoints() throws IOException {
    long now = System.currentTimeMillis();
    point(RUN_1 + "/chk-1", now - 5_000, true);
    point(RUN_2 + "/chk-4", now - 4_000, true); // the running job's, older than the savepoints
    point("savepoints/savepoint-aa-1", now - 3_000, true);
    point("savepoints/savepoint-aa-2", now - 2_000, true);
    point("savepoints/savepoint-aa-3", now - 1_000, true);

    int deleted = CheckpointRecovery.prune(streamletDirectory(), new Retention(1, 2, null),
        CheckpointRecovery.newestRestorePoint(streamletDirectory()), RUN_2);

    assertThat(deleted).isEqualTo(2);
    assertThat(root.resolve("s/" + RUN_1 + "/chk-1")).as("beyond the count, an earlier run's").doesNotExist();
    assertThat(root.resolve("s/" + RUN_2 + "/chk-4")).as("the running job's: Flink manages it").exists();
    assertThat(root.resolve("s/savepoints/savepoint-aa-1")).as("third savepoint of two kept").doesNotExist();
    assertThat(CheckpointRecovery.savepoints(streamletDirectory())).extracting(StoredRestorePoint::path).containsExactly(
        new Path(streamletDirectory(), "savepoints/savepoint-aa-3").toString(),
        new Path(streamletDirectory(), "savepoints/savepoint-aa-2").toString());
  }

  @Test
  void retentionByAgeNeverDeletesThePointARestartNeeds() throws IOException {
    long hourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
    point(RUN_1 + "/chk-1", hourAgo - 2_000, true);
    point("savepoints/savepoint-aa-1", hourAgo - 1_000, true);
    point("savepoints/savepoint-aa-2", hourAgo, true);

    int deleted = CheckpointRecovery.prune(streamletDirectory(), new Retention(10, 10, Duration.ofMinutes(10)),
        CheckpointRecovery.newestRestorePoint(streamletDirectory()), null);

    assertThat(deleted).isEqualTo(2);
    assertThat(root.resolve("s/savepoints/savepoint-aa-2")).as("the newest, though too old: a restart resumes from it").exists();
    assertThat(CheckpointRecovery.newestRestorePoint(streamletDirectory()))
        .contains(new Path(streamletDirectory(), "savepoints/savepoint-aa-2"));
  }

  @Test
  void retentionReadsItsSettingsFromTheJobConfiguration() {
    Configuration configuration = new Configuration();
    assertThat(Retention.of(configuration)).isEqualTo(new Retention(1, 5, null));
    configuration.setString("execution.checkpointing.num-retained", "3");
    configuration.setString("cloudflow.savepoints.retained", "2");
    configuration.setString("cloudflow.retention.max-age", "1 h");
    assertThat(Retention.of(configuration)).isEqualTo(new Retention(3, 2, Duration.ofHours(1)));
  }

  /**
   * While a job runs, Flink writes each new checkpoint and deletes the one it subsumes; a prune or a
   * savepoint listing made meanwhile sees entries vanish between listing and reading them, and must
   * leave them out instead of failing.
   */
  @Test
  void pointsDeletedWhileTheyAreReadAreLeftOut() throws Exception {
    point(RUN_2 + "/chk-0", System.currentTimeMillis(), true);
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    Thread flink = new Thread(() -> {
      try {
        for (int n = 1; !done.get(); n++) {
          point(RUN_2 + "/chk-" + n, System.currentTimeMillis(), true);
          point("savepoints/savepoint-aa-" + n, System.currentTimeMillis(), true);
          FileUtils.deleteDirectory(root.resolve("s/" + RUN_2 + "/chk-" + (n - 1)).toFile());
          FileUtils.deleteDirectory(root.resolve("s/savepoints/savepoint-aa-" + (n - 1)).toFile());
          Thread.sleep(1); // a checkpoint every millisecond: far more often than any job takes them
        }
      } catch (Throwable e) {
        writerFailure.set(e);
      }
    }, "subsuming-checkpoints");
    flink.start();
    try {
      for (int i = 0; i < 2_000 && writerFailure.get() == null; i++) {
        CheckpointRecovery.newestRestorePoint(streamletDirectory());
        CheckpointRecovery.savepoints(streamletDirectory());
        CheckpointRecovery.prune(streamletDirectory(), new Retention(5, 5, null), Optional.empty(), RUN_2);
      }
    } finally {
      done.set(true);
      flink.join();
    }
    assertThat(writerFailure.get()).as("the writer thread").isNull();
  }

  private Path streamletDirectory() {
    return new Path(root.resolve("s").toUri());
  }

  private void point(String relative, long modified, boolean complete) throws IOException {
    java.nio.file.Path dir = Files.createDirectories(root.resolve("s").resolve(relative));
    if (complete) {
      java.nio.file.Path metadata = Files.writeString(dir.resolve("_metadata"), "x");
      Files.setLastModifiedTime(metadata, FileTime.fromMillis(modified));
    }
  }
}
