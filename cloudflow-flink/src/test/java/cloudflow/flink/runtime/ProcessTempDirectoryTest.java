package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessTempDirectoryTest {

  @Test
  void isSharedWithinTheProcessAndDeletedByTheLastRelease() throws Exception {
    ProcessTempDirectory first = ProcessTempDirectory.acquire();
    ProcessTempDirectory second = ProcessTempDirectory.acquire();
    assertThat(second).isSameAs(first);
    Path spilled = Files.writeString(first.subdirectory("flink").resolve("spill"), "x");
    Path lock = first.path().resolveSibling(first.path().getFileName() + ".lock");
    assertThat(first.path().getParent()).isEqualTo(ProcessTempDirectory.root());
    assertThat(lock).isRegularFile();

    first.release();
    assertThat(spilled).as("still held by the second user").exists();

    second.release();
    assertThat(first.path()).doesNotExist();
    assertThat(lock).doesNotExist();
  }

  @Test
  void deletesWhatAProcessThatIsGoneLeftAndKeepsWhatALiveOneHolds() throws Exception {
    Path root = Files.createDirectories(ProcessTempDirectory.root());
    // what kill -9 leaves: the directory and its lock file, which no process holds locked any more
    Path abandoned = Files.createDirectories(root.resolve("999999-deadbeef/flink/minicluster_x"));
    Files.write(abandoned.resolve("blob"), new byte[1024]);
    Path abandonedLock = Files.createFile(root.resolve("999999-deadbeef.lock"));
    ProcessTempDirectory live = ProcessTempDirectory.acquire();
    try {
      assertThat(root.resolve("999999-deadbeef")).doesNotExist();
      assertThat(abandonedLock).doesNotExist();
      assertThat(live.path()).isDirectory();
    } finally {
      live.release();
    }
  }
}
