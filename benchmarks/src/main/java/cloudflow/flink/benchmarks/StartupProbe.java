package cloudflow.flink.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Times {@code java -jar sample-app.jar --streamlet=processor [--spring.kafka.bootstrap-servers=..]}
 * from process launch to {@code /actuator/health/readiness} answering UP (the processor's Flink job
 * is RUNNING), polling every 25 ms. Application arguments that choose streamlets themselves
 * ({@code --streamlet=..}, {@code --cloudflow.local=..}) replace {@code --streamlet=processor}.
 */
final class StartupProbe {

  /**
   * One measurement: milliseconds to readiness UP (or -1), peak RSS by then, and why it failed; the
   * CPU time the process used by then (user + system, ms; -1 if unknown), which depends far less on
   * other load on the machine than the wall-clock time.
   */
  record Result(long millis, long rssPeakMb, String error, long cpuMillis) {
    Result(long millis, long rssPeakMb, String error) {
      this(millis, rssPeakMb, error, -1);
    }

    boolean ok() {
      return error == null;
    }
  }

  private StartupProbe() {}

  static Result measure(Path jar, String bootstrapOrNull, List<String> jvmArgs, List<String> appArgs, Path workDir,
      Path log, Duration timeout)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      return new Result(-1, -1, "no jar at " + jar.toAbsolutePath()
          + " (mvn -B -q install -DskipTests builds the sample's, --sample-app-jar points elsewhere; benchmarks/README.md says how to build the references)");
    }
    Files.createDirectories(workDir);
    Files.createDirectories(log.getParent());
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Jvm.javaExecutable());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    if (appArgs.stream().noneMatch(arg -> arg.startsWith("--streamlet=") || arg.startsWith("--cloudflow.local"))) {
      command.add("--streamlet=processor");
    }
    command.add("--server.port=" + port);
    if (bootstrapOrNull != null) {
      command.add("--spring.kafka.bootstrap-servers=" + bootstrapOrNull);
    }
    command.addAll(appArgs);
    Files.writeString(log, String.join(" ", command) + "\n\n", StandardCharsets.UTF_8);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    try {
      while (System.nanoTime() - start < timeout.toNanos()) {
        if (!process.isAlive()) {
          return new Result(-1, -1, "the application exited with " + process.exitValue() + "; see " + log);
        }
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long rss = SelfStats.procStatusKb(Path.of("/proc", String.valueOf(process.pid()), "status"), "VmHWM");
            long cpu = OutputTopic.cpuMillis(process.pid());
            String unusedArchive = unusedArchive(jvmArgs, log);
            return unusedArchive != null ? new Result(-1, -1, unusedArchive)
                : new Result(millis, rss < 0 ? -1 : rss / 1024, null, cpu);
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(25);
      }
      return new Result(-1, -1, "not ready within " + timeout.toSeconds() + " s; see " + log);
    } finally {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Why a start given a class data sharing archive ran without it, or null. The JVM only warns (one
   * line, "Unable to use shared archive") and starts as without the archive, e.g. when the archive was
   * recorded with the jar by another path; timed as a CDS start, that run would be a plain one.
   */
  static String unusedArchive(List<String> jvmArgs, Path log) throws IOException {
    if (jvmArgs.stream().noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile="))) {
      return null;
    }
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(line -> line.contains("Unable to use shared archive")).findFirst()
          .map(line -> "the JVM did not use the class data sharing archive (" + line.trim() + "); an archive fits only "
              + "the jar path it was recorded with: record it with the jar's absolute path; see " + log)
          .orElse(null);
    }
  }

  /**
   * Spring Boot's extracted layout of a jar ({@code java -Djarmode=tools -jar app.jar extract}): a
   * thin jar next to {@code lib/}, which the JVM's class data sharing can archive. Returns the thin jar.
   */
  static Path extract(Path jar, Path destination, Path log) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(Jvm.javaExecutable(), "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(),
        "extract", "--destination", destination.toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("Extracting " + jar + " failed; see " + log);
    }
    try (var files = Files.list(destination)) {
      return files.filter(f -> f.toString().endsWith(".jar")).findFirst()
          .orElseThrow(() -> new IOException("No jar in " + destination + " after extracting " + jar));
    }
  }

  /**
   * The README's training run for class data sharing: the thin jar runs against the broker until its
   * arguments {@code appArgs} stop it (the sample's {@code --cloudflow.exit-after}), and the JVM writes
   * the classes it loaded to {@code archive} on exit ({@code -XX:ArchiveClassesAtExit}). The jar is
   * given by its absolute path: an archive only fits the path it was recorded with. Returns null, or
   * why it failed.
   */
  static String train(Path thinJar, List<String> appArgs, String bootstrapServers, List<String> jvmArgs, Path archive,
      Path workDir, Path log, Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Jvm.javaExecutable());
    command.addAll(jvmArgs);
    command.add("-XX:ArchiveClassesAtExit=" + archive.toAbsolutePath());
    command.addAll(List.of("-jar", thinJar.toAbsolutePath().toString(), "--server.port=0",
        "--spring.kafka.bootstrap-servers=" + bootstrapServers));
    command.addAll(appArgs);
    Files.writeString(log, String.join(" ", command) + "\n\n", StandardCharsets.UTF_8);
    Process process = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      return "the training run did not end within " + timeout.toSeconds() + " s; see " + log;
    }
    if (process.exitValue() != 0) {
      return "the training run exited with " + process.exitValue() + "; see " + log;
    }
    return Files.isRegularFile(archive) ? null : "the training run wrote no archive " + archive + "; see " + log;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
