package cloudflow.flink.benchmarks;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupProbeTest {

  private static final String JVM_WARNING =
      "[0.101s][warning][cds,dynamic] Unable to use shared archive. The top archive failed to load: /tmp/app.jsa";

  @TempDir
  Path directory;

  @Test
  void aStartGivenAnArchiveItDidNotUseIsNoCdsStart() throws Exception {
    Path log = log("java -XX:SharedArchiveFile=/tmp/app.jsa -jar app.jar", "", JVM_WARNING, "  .   ____");
    String problem = StartupProbe.unusedArchive(List.of("-Xmx512m", "-XX:SharedArchiveFile=/tmp/app.jsa"), log);
    assertTrue(problem != null && problem.contains("did not use the class data sharing archive")
        && problem.contains("absolute path") && problem.contains(log.toString()), problem);
  }

  @Test
  void anArchiveInUseOrNoArchiveIsFine() throws Exception {
    assertNull(StartupProbe.unusedArchive(List.of("-XX:SharedArchiveFile=/tmp/app.jsa"), log("java ...", "  .   ____")));
    // without an archive the warning is no business of the probe's
    assertNull(StartupProbe.unusedArchive(List.of("-Xmx512m"), log(JVM_WARNING)));
  }

  private Path log(String... lines) throws Exception {
    return Files.write(Files.createTempFile(directory, "run", ".log"), List.of(lines));
  }
}
