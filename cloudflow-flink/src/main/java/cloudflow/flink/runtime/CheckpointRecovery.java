package cloudflow.flink.runtime;

import cloudflow.flink.StoredRestorePoint;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Finds where a streamlet's job resumes. A {@code java -jar} process has no Flink high availability,
 * so each streamlet gets a directory of its own, named by an id derived from the application id and
 * streamlet name: every run's checkpoints go to {@code <dir>/<streamlet-id>/<job-id>/chk-<n>}, its
 * savepoints to {@code <dir>/<streamlet-id>/savepoints}, and a restarted process restores the newest
 * complete one of any earlier run. Job ids stay Flink's own, so a session cluster that remembers
 * finished jobs accepts the next run. Works on every Flink file system (a local path, a mounted
 * volume, s3://, ...).
 */
final class CheckpointRecovery {

  private static final String METADATA = "_metadata";
  private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{32}");
  /** How often a directory is listed again when its entries vanish while it is listed. */
  private static final int LIST_ATTEMPTS = 5;

  private CheckpointRecovery() {}

  /** The id of a streamlet's directory, the same for every run of the same application and streamlet. */
  static String streamletId(String applicationId, String streamletRef) {
    UUID uuid = UUID.nameUUIDFromBytes((applicationId + "/" + streamletRef).getBytes(StandardCharsets.UTF_8));
    return new JobID(uuid.getLeastSignificantBits(), uuid.getMostSignificantBits()).toHexString();
  }

  /** The directory holding all runs' checkpoints and the savepoints of a streamlet. */
  static Path streamletDirectory(String checkpointDirectory, String streamletId) {
    return new Path(checkpointDirectory, streamletId);
  }

  /** The directory holding a streamlet's savepoints. */
  static Path savepointDirectory(Path streamletDirectory) {
    return new Path(streamletDirectory, "savepoints");
  }

  /** Whether a restore point of a streamlet's directory is one of its savepoints (else one of its runs' checkpoints). */
  static boolean isSavepoint(Path point) {
    return point.getParent() != null && point.getParent().getName().equals("savepoints")
        && point.getName().startsWith("savepoint-");
  }

  /** The newest complete checkpoint or savepoint of a streamlet, if there is one. */
  static Optional<Path> newestRestorePoint(Path streamletDirectory) {
    return restorePoints(streamletDirectory).stream()
        .flatMap(List::stream)
        .max(Comparator.comparingLong(FileStatus::getModificationTime))
        .map(s -> s.getPath().getParent());
  }

  /**
   * Deletes all but the newest {@code keep} checkpoints and savepoints of a streamlet (each kind
   * counted apart), never the one the job is about to restore.
   *
   * @return how many were deleted
   */
  static int prune(Path streamletDirectory, int keep, Optional<Path> restorePoint) {
    return prune(streamletDirectory, new Retention(keep, keep, null), restorePoint, null);
  }

  /**
   * Deletes the checkpoints and savepoints of a streamlet that the retention does not keep: beyond
   * its counts (each kind counted apart, newest first) or older than its age. Never deletes
   * {@code restorePoint} nor the checkpoints of the running job (Flink manages those).
   *
   * @param restorePoint the point the job restores or would restore from
   * @param runningJob the id of the job that runs now, or {@code null}
   * @return how many were deleted
   */
  static int prune(Path streamletDirectory, Retention retention, Optional<Path> restorePoint, String runningJob) {
    long oldest = retention.maxAge() == null ? Long.MIN_VALUE : System.currentTimeMillis() - retention.maxAge().toMillis();
    List<List<FileStatus>> kinds = restorePoints(streamletDirectory);
    int deleted = 0;
    for (int k = 0; k < kinds.size(); k++) {
      int keep = k == 0 ? retention.checkpoints() : retention.savepoints();
      List<FileStatus> newestFirst = new ArrayList<>(kinds.get(k));
      newestFirst.sort(Comparator.comparingLong(FileStatus::getModificationTime).reversed());
      for (int i = 0; i < newestFirst.size(); i++) {
        FileStatus metadata = newestFirst.get(i);
        Path point = metadata.getPath().getParent();
        boolean kept = i < keep && metadata.getModificationTime() >= oldest;
        if (kept || restorePoint.map(p -> p.equals(point)).orElse(false)
            || (runningJob != null && point.getParent().getName().equals(runningJob))) {
          continue;
        }
        try {
          point.getFileSystem().delete(point, true);
          deleted++;
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot delete old checkpoint " + point, e);
        }
      }
    }
    return deleted;
  }

  /** The savepoints of a streamlet, newest first. */
  static List<StoredRestorePoint> savepoints(Path streamletDirectory) {
    return complete(savepointDirectory(streamletDirectory), "savepoint-").stream()
        .sorted(Comparator.comparingLong(FileStatus::getModificationTime).reversed())
        .map(m -> new StoredRestorePoint(m.getPath().getParent().toString(), Instant.ofEpochMilli(m.getModificationTime()), true))
        .toList();
  }

  /** The {@code _metadata} files of a streamlet's complete checkpoints (all runs) and savepoints. */
  private static List<List<FileStatus>> restorePoints(Path streamletDirectory) {
    List<FileStatus> checkpoints = new ArrayList<>();
    for (FileStatus run : list(streamletDirectory)) {
      if (run.isDir() && JOB_ID.matcher(run.getPath().getName()).matches()) {
        checkpoints.addAll(complete(run.getPath(), "chk-"));
      }
    }
    return List.of(checkpoints, complete(savepointDirectory(streamletDirectory), "savepoint-"));
  }

  /**
   * The {@code _metadata} files of the complete points named {@code <prefix>*} in a directory. A point
   * may be deleted while it is read (Flink subsumes a running job's checkpoints, a prune removes old
   * savepoints): it is no longer a restore point, so it is left out rather than failing the caller.
   */
  private static List<FileStatus> complete(Path directory, String prefix) {
    List<FileStatus> metadata = new ArrayList<>();
    for (FileStatus point : list(directory)) {
      if (point.isDir() && point.getPath().getName().startsWith(prefix)) {
        Path file = new Path(point.getPath(), METADATA);
        try {
          metadata.add(file.getFileSystem().getFileStatus(file));
        } catch (FileNotFoundException notWrittenOrDeleted) {
          // incomplete, or deleted meanwhile: not a restore point
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot read " + file, e);
        }
      }
    }
    return metadata;
  }

  /** A directory's entries; none when it does not exist. Listed again when an entry vanishes while it is listed. */
  private static List<FileStatus> list(Path directory) {
    for (int attempt = 1; ; attempt++) {
      try {
        FileSystem fs = directory.getFileSystem();
        if (!fs.exists(directory)) {
          return List.of();
        }
        FileStatus[] entries = fs.listStatus(directory);
        return entries == null ? List.of() : List.of(entries);
      } catch (FileNotFoundException vanished) {
        // the directory, or one of its entries, was deleted between listing and reading it
        if (attempt == LIST_ATTEMPTS) {
          throw new UncheckedIOException("Cannot list checkpoints in " + directory + ": its entries keep vanishing", vanished);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list checkpoints in " + directory, e);
      }
    }
  }
}
