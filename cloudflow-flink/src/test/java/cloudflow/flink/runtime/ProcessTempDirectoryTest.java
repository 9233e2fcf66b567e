package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTempDirectoryTest {

  // a root of its own: other tests in this JVM may hold the process's directory under the real root
  @TempDir Path root;

  @Test
  void isSharedWithinTheProcessAndDeletedByTheLastRelease() throws Exception {
    ProcessTempDirectory first = ProcessTempDirectory.acquire(root);
    ProcessTempDirectory second = ProcessTempDirectory.acquire(root);
    assertThat(second).isSameAs(first);
    Path spilled = Files.writeString(first.subdirectory("flink").resolve("spill"), "x");
    Path lock = first.path().resolveSibling(first.path().getFileName() + ".lock");
    assertThat(first.path().getParent()).isEqualTo(root);
    assertThat(ProcessTempDirectory.root().getFileName()).hasToString(ProcessTempDirectory.ROOT_NAME);
    assertThat(lock).isRegularFile();

    first.release();
    assertThat(spilled).as("still held by the second user").exists();

    second.release();
    assertThat(first.path()).doesNotExist();
    assertThat(lock).doesNotExist();
  }

  @Test
  void deletesWhatAProcessThatIsGoneLeftAndKeepsWhatALiveOneHolds() throws Exception {
        // what kill -9 leaves: the directory and its lock file, which no process holds locked any more
    Path abandoned = Files.createDirectories(root.resolve("999999-deadbeef/flink/minicluster_x"));
    Files.write(abandoned.resolve("blob"), new byte[1024]);
    Path abandonedLock = Files.createFile(root.resolve("999999-deadbeef.lock"));
    ProcessTempDirectory live = ProcessTempDirectory.acquire(root);
    try {
      assertThat(root.resolve("999999-deadbeef")).doesNotExist();
      assertThat(abandonedLock).doesNotExist();
      assertThat(live.path()).isDirectory();
    } finally {
      live.release();
    }
  }
}
