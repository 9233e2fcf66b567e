package sensors;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The README's faster-startup recipe works on the packaged jar: extract it, record the classes of a
 * running streamlet in a training run that stops itself ({@code --cloudflow.exit-after}), and start
 * again from that class data sharing archive ({@code -Xshare:on} fails the JVM unless it is used).
 * Both runs use a broker process: the production jar has no embedded broker (the container image
 * build runs its training run against a broker of its own, too).
 */
class ClassDataSharingIT {

  private final Path appJar = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));

  @Test
  void startsFromTheArchiveOfATrainingRun() throws Exception {
    assertThat(appJar).as("packaged jar (run mvn package first)").isRegularFile();
    Path dir = appJar.toAbsolutePath().getParent().resolve("class-data-sharing-it");
    FileSystemUtils.deleteRecursively(dir);
    Files.createDirectories(dir);
    Path extracted = dir.resolve("app");
    Path archive = dir.resolve("app.jsa");

    assertThat(run(dir, "extract.log", List.of("-Djarmode=tools", "-jar", appJar.toAbsolutePath().toString(),
        "extract", "--destination", extracted.toString())))
        .as("exit code of the extraction").isZero();
    Path thinJar = extracted.resolve(appJar.getFileName());
    assertThat(thinJar).isRegularFile();

    try (KafkaBrokerProcess broker = new KafkaBrokerProcess(dir.resolve("broker")).start()) {
      String kafka = "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers();
      assertThat(run(dir, "training.log", List.of("-XX:ArchiveClassesAtExit=" + archive, "-jar", thinJar.toString(),
          "--streamlet=processor", "--server.port=0", kafka, "--cloudflow.exit-after=2s")))
          .as("exit code of the training run").isZero();
      assertThat(archive).isRegularFile();
      assertThat(Files.readString(dir.resolve("training.log"))).contains("Stopping after 2s as cloudflow.exit-after says");

      assertThat(run(dir, "shared.log", List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-jar",
          thinJar.toString(), "--streamlet=processor", "--server.port=0", kafka, "--cloudflow.exit-after=1s")))
          .as("exit code of the run from the archive").isZero();
    }
  }

  private static int run(Path dir, String logName, List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
    command.add("-Xmx512m");
    command.addAll(arguments);
    Path log = dir.resolve(logName);
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", command) + " did not end within 3 min; see " + log);
    }
    if (process.exitValue() != 0) {
      System.out.println("---- " + log + " ----\n" + Files.readString(log));
    }
    return process.exitValue();
  }
}
