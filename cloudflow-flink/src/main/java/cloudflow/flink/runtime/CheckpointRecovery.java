package cloudflow.flink.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Finds where a streamlet's job resumes. A {@code java -jar} process has no Flink high availability,
 * so each streamlet's job gets a job id derived from the application id and streamlet name: its
 * checkpoints ({@code <dir>/<job-id>/chk-<n>}) and savepoints ({@code <dir>/<job-id>/savepoints})
 * are found again after a restart, and the newest complete one is restored. Works on every Flink
 * file system (a local path, a mounted volume, s3://, ...).
 */
final class CheckpointRecovery {

  private static final String METADATA = "_metadata";

  private CheckpointRecovery() {}

  /** The job id of a streamlet, the same for every run of the same application and streamlet. */
  static JobID jobIdOf(String applicationId, String streamletRef) {
    UUID uuid = UUID.nameUUIDFromBytes((applicationId + "/" + streamletRef).getBytes(StandardCharsets.UTF_8));
    return new JobID(uuid.getLeastSignificantBits(), uuid.getMostSignificantBits());
  }

  /** The directory holding a job's checkpoints. */
  static Path jobDirectory(String checkpointDirectory, JobID jobId) {
    return new Path(checkpointDirectory, jobId.toHexString());
  }

  /** The directory holding a job's savepoints. */
  static Path savepointDirectory(String checkpointDirectory, JobID jobId) {
    return new Path(jobDirectory(checkpointDirectory, jobId), "savepoints");
  }

  /** The newest complete checkpoint or savepoint of a job, if there is one. */
  static Optional<Path> newestRestorePoint(String checkpointDirectory, JobID jobId) {
    List<FileStatus> all = new ArrayList<>(complete(jobDirectory(checkpointDirectory, jobId), "chk-"));
    all.addAll(complete(savepointDirectory(checkpointDirectory, jobId), "savepoint-"));
    return all.stream().max(Comparator.comparingLong(FileStatus::getModificationTime)).map(s -> s.getPath().getParent());
  }

  /**
   * Deletes all but the newest {@code keep} checkpoints and savepoints of a job (each kind counted
   * apart), never the one the job is about to restore.
   *
   * @return how many were deleted
   */
  static int prune(String checkpointDirectory, JobID jobId, int keep, Optional<Path> restorePoint) {
    int deleted = 0;
    for (List<FileStatus> kind : List.of(
        complete(jobDirectory(checkpointDirectory, jobId), "chk-"),
        complete(savepointDirectory(checkpointDirectory, jobId), "savepoint-"))) {
      List<FileStatus> newestFirst = new ArrayList<>(kind);
      newestFirst.sort(Comparator.comparingLong(FileStatus::getModificationTime).reversed());
      for (FileStatus old : newestFirst.subList(Math.min(keep, newestFirst.size()), newestFirst.size())) {
        Path point = old.getPath().getParent();
        if (restorePoint.map(p -> p.equals(point)).orElse(false)) {
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

  /** The {@code _metadata} files of the complete points named {@code <prefix>*} in a directory. */
  private static List<FileStatus> complete(Path directory, String prefix) {
    try {
      FileSystem fs = directory.getFileSystem();
      if (!fs.exists(directory)) {
        return List.of();
      }
      List<FileStatus> metadata = new ArrayList<>();
      for (FileStatus point : fs.listStatus(directory)) {
        Path file = new Path(point.getPath(), METADATA);
        if (point.isDir() && point.getPath().getName().startsWith(prefix) && fs.exists(file)) {
          metadata.add(fs.getFileStatus(file));
        }
      }
      return metadata;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list checkpoints in " + directory, e);
    }
  }
}
