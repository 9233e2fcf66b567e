package sensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The README's faster-startup recipe works on the packaged jar: extract it, record the classes of a
 * running streamlet in a training run that stops itself ({@code --cloudflow.exit-after}), and start
 * again from that class data sharing archive ({@code -Xshare:on} fails the JVM unless it is used).
 * Both runs use a broker process, {@link SharedBroker} with topics and an application id of this
 * test's own: the production jar has no embedded broker (the container image build runs its training
 * run against a broker of its own, too).
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

    String name = "cds-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> app = List.of("-jar", thinJar.toString(), "--streamlet=processor", "--server.port=0",
        "--spring.kafka.bootstrap-servers=" + SharedBroker.get().bootstrapServers(), "--spring.application.name=" + name,
        "--cloudflow.streamlets.processor.ports.in.topic=" + name + "-readings",
        "--cloudflow.streamlets.processor.ports.out.topic=" + name + "-summaries");
    List<String> training = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + archive));
    training.addAll(app);
    training.add("--cloudflow.exit-after=2s");
    assertThat(run(dir, "training.log", training)).as("exit code of the training run").isZero();
    assertThat(archive).isRegularFile();
    assertThat(Files.readString(dir.resolve("training.log"))).contains("Stopping after 2s as cloudflow.exit-after says");

    List<String> shared = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"));
    shared.addAll(app);
    shared.add("--cloudflow.exit-after=1s");
    assertThat(run(dir, "shared.log", shared)).as("exit code of the run from the archive").isZero();
  }

  private static int run(Path dir, String logName, List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
    command.add("-Xmx512m");
    command.addAll(arguments);
    Path log = dir.resolve(logName);
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", command) + " did not end within 3 min; see " + log);
    }
    System.out.println("class-data-sharing " + logName + " ms=" + ItSupport.millisSince(started));
    if (process.exitValue() != 0) {
      System.out.println("---- " + log + " ----\n" + Files.readString(log));
    }
    return process.exitValue();
  }
}
