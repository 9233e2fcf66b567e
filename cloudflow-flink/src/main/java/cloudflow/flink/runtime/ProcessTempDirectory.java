package cloudflow.flink.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary directory of this process: where its local Flink clusters put what they extract and
 * spill (the RPC system's jar, {@code minicluster_*} working directories, I/O and shuffle files, blobs),
 * where the web server and the embedded broker's throw-away checkpoints go. It lives under
 * {@code <java.io.tmpdir>/cloudflow-flink}, is deleted when its last user releases it (a clean stop),
 * and what a killed process left there is deleted when the next one starts.
 *
 * <p>Each directory has a sibling {@code <name>.lock} that its process holds locked for as long as it
 * runs; the operating system releases the lock when the process dies, even after {@code kill -9}, so
 * a lock that can be taken marks a directory nobody uses (unlike a process id, which a restarted
 * container reuses). One directory per JVM, shared by reference count, so that the Spring side and
 * the runner can each hold it until they are done.
 */
public final class ProcessTempDirectory {

  private static final Logger log = LoggerFactory.getLogger(ProcessTempDirectory.class);

  /** Name of the directory under {@code java.io.tmpdir} that holds one directory per running process. */
  public static final String ROOT_NAME = "cloudflow-flink";

  private static final String LOCK_SUFFIX = ".lock";

  /** The directory in use under each root (one in production: {@link #root()}), by root. */
  private static final Map<Path, ProcessTempDirectory> current = new HashMap<>();

  private final Path path;
  private final Path lockFile;
  private final FileChannel lockChannel;
  private int users;

  private final Path root;

  private ProcessTempDirectory(Path root, Path path, Path lockFile, FileChannel lockChannel) {
    this.root = root;
    this.path = path;
    this.lockFile = lockFile;
    this.lockChannel = lockChannel;
  }

  /** The directory that holds the process directories: {@code <java.io.tmpdir>/cloudflow-flink}. */
  public static Path root() {
    return Path.of(System.getProperty("java.io.tmpdir"), ROOT_NAME);
  }

  /**
   * This process's directory, created (after deleting those of processes that are gone) on first
   * use or after it was deleted; each call must be paired with a {@link #release()}.
   */
  public static ProcessTempDirectory acquire() {
    return acquire(root());
  }

  /** {@link #acquire()} under another root (tests). */
  static synchronized ProcessTempDirectory acquire(Path root) {
    ProcessTempDirectory directory = current.computeIfAbsent(root, ProcessTempDirectory::create);
    directory.users++;
    return directory;
  }

  /** The directory. */
  public Path path() {
    return path;
  }

  /** A subdirectory, created if missing. */
  public Path subdirectory(String name) {
    try {
      return Files.createDirectories(path.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the temporary directory " + path.resolve(name), e);
    }
  }

  /** Gives up one {@link #acquire()}: the last one deletes the directory. */
  public void release() {
    synchronized (ProcessTempDirectory.class) {
      if (users == 0 || --users > 0) {
        return;
      }
      current.remove(root, this);
    }
    deleteTree(path);
    try {
      lockChannel.close();
      Files.deleteIfExists(lockFile);
    } catch (IOException e) {
      log.debug("Cannot delete {}: {}", lockFile, e.toString());
    }
  }

  private static ProcessTempDirectory create(Path root) {
    try {
      Files.createDirectories(root);
      deleteAbandoned(root);
      String name = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
      // the lock first: a directory is never visible without a held lock next to it
      Path lockFile = root.resolve(name + LOCK_SUFFIX);
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      channel.lock();
      Path path = Files.createDirectory(root.resolve(name));
      return new ProcessTempDirectory(root, path, lockFile, channel);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary directory under " + root
          + ": check that java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ") is writable", e);
    }
  }

  /** Deletes the directories whose lock nobody holds: their processes are gone. */
  private static void deleteAbandoned(Path root) throws IOException {
    try (DirectoryStream<Path> locks = Files.newDirectoryStream(root, "*" + LOCK_SUFFIX)) {
      for (Path lock : locks) {
        String name = lock.getFileName().toString();
        Path directory = root.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length()));
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
            FileLock taken = channel.tryLock()) {
          if (taken == null) {
            continue; // its process runs
          }
          long bytes = deleteTree(directory);
          Files.deleteIfExists(lock);
          log.info("Deleted {} ({} MB) that a stopped process left in the temporary directory",
              directory, bytes / (1024 * 1024));
        } catch (OverlappingFileLockException inThisJvm) {
          // another directory of this JVM (one that was released and recreated holds a new name)
        } catch (NoSuchFileException gone) {
          // its process, or another starting one, deleted it meanwhile
        }
      }
    }
  }

  /** Deletes a tree, never failing; returns the bytes it held. */
  private static long deleteTree(Path root) {
    long[] bytes = {0};
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          if (Files.isRegularFile(path)) {
            bytes[0] += Files.size(path);
          }
          Files.deleteIfExists(path);
        } catch (IOException e) {
          log.debug("Cannot delete {}: {}", path, e.toString());
        }
      });
    } catch (IOException | UncheckedIOException e) {
      log.warn("Cannot delete all of {}: {}", root, e.toString());
    }
    return bytes[0];
  }
}
