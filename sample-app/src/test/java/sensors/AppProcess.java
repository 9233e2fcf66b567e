package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One run of the packaged application as a process of its own, with its log (stdout and stderr), its
 * HTTP port, the readiness wait and the ways to end it: what the tests that start many runs
 * (RecoveryIT, UpgradeIT, KafkaSecurityIT) share. Subclasses build the command and name the run.
 */
abstract class AppProcess {

  private static final String READINESS = "/actuator/health/readiness";

  final Path log;
  /** The run's {@code server.port}, free when the run was created. */
  final int port;
  Process process;
  long startedNanos;

  AppProcess(Path log) throws IOException {
    this.log = log;
    this.port = ItSupport.freePort();
  }

  /** The java launcher of this JVM, so that runs use the same Java. */
  static String java() {
    return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
  }

  /** Starts {@code command} in {@code dir} with {@code env} added to this JVM's environment, output to {@link #log}. */
  void launch(List<String> command, Path dir, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    startedNanos = System.nanoTime();
    process = builder.start();
  }

  /** Waits for readiness UP, failing as soon as the process exits; returns the milliseconds since its start. */
  long awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("%s exited with %d before readiness was UP\n%s", this, process.exitValue(), tail(80));
      }
      if (body(READINESS).contains("\"status\":\"UP\"")) {
        return ItSupport.millisSince(startedNanos);
      }
      Thread.sleep(200);
    }
    return fail("%s: readiness not UP within %s (last: %s)\n%s", this, timeout, body(READINESS), tail(80));
  }

  /** SIGKILL, as a crash would, and waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s gone after SIGKILL", this).isTrue();
  }

  /** Kills the process if it still runs: the clean-up after a test, also a failed one. */
  void destroy() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  HttpResponse<String> get(String path) throws IOException {
    return ItSupport.get(port, path);
  }

  /** The body {@code path} answers with, or {@code (no answer: ...)}: for polls and messages. */
  String body(String path) {
    try {
      return get(path).body();
    } catch (IOException e) {
      return "(no answer: " + e + ")";
    }
  }

  String log() {
    return ItSupport.readLog(log);
  }

  /** The last lines of the log under this run's name. */
  String tail(int lines) {
    return ItSupport.tail(toString(), log, lines);
  }

  /**
   * A watcher that prints, when a test fails, why and the ends of the runs' and the brokers' logs: they
   * are files of their own, which the test report does not show.
   *
   * @param brokers the brokers at the time of the failure; null elements are skipped
   */
  static TestWatcher logsOnFailure(List<? extends AppProcess> runs, int lines, Supplier<KafkaBrokerProcess[]> brokers,
      int brokerLines) {
    return new TestWatcher() {
      @Override
      public void testFailed(ExtensionContext context, Throwable cause) {
        StringBuilder text = new StringBuilder("==== " + context.getDisplayName() + " failed: " + cause + "\n");
        runs.forEach(run -> text.append(run.tail(lines)));
        for (KafkaBrokerProcess broker : brokers.get()) {
          if (broker != null) {
            text.append("---- tail of ").append(broker.logFile()).append(" ----\n").append(broker.logTail(brokerLines)).append('\n');
          }
        }
        System.out.println(text);
      }
    };
  }

  /** Names the run in messages. */
  @Override
  public abstract String toString();
}
