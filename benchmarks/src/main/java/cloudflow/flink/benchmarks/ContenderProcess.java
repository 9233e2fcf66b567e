package cloudflow.flink.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One contender JVM seen from the orchestrator: launched with the benchmark's class path and Flink's
 * {@code --add-opens} flags, its {@code BENCH} lines parsed, everything else written to its log file.
 */
final class ContenderProcess implements AutoCloseable {

  final long launchedAtMillis;
  final CompletableFuture<Long> submitted = new CompletableFuture<>();
  final CompletableFuture<Long> running = new CompletableFuture<>();
  final CompletableFuture<Map<String, String>> stats = new CompletableFuture<>();
  private volatile String error;
  private final Process process;
  private final Path log;

  private ContenderProcess(Process process, long launchedAtMillis, Path log) {
    this.process = process;
    this.launchedAtMillis = launchedAtMillis;
    this.log = log;
  }

  static ContenderProcess launch(ContenderConfig config, String maxHeap, List<String> extraJvmArgs, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Jvm.javaExecutable());
    command.add("-Xmx" + maxHeap);
    command.addAll(Jvm.addOpens());
    command.addAll(extraJvmArgs);
    command.add("-cp");
    command.add(Jvm.classpath());
    command.add(ContenderMain.class.getName());
    command.addAll(config.toArgs());
    Files.createDirectories(log.getParent());
    Files.writeString(log, String.join(" ", command) + "\n\n", StandardCharsets.UTF_8);
    long launched = System.currentTimeMillis();
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(false)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    ContenderProcess contender = new ContenderProcess(process, launched, log);
    Thread reader = new Thread(contender::readOutput, "contender-output");
    reader.setDaemon(true);
    reader.start();
    return contender;
  }

  private void readOutput() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (!line.startsWith("BENCH ")) {
          appendLog(line);
          continue;
        }
        String message = line.substring("BENCH ".length());
        if (message.startsWith("SUBMITTED ")) {
          submitted.complete(Long.parseLong(message.substring(10).trim()));
        } else if (message.startsWith("RUNNING ")) {
          running.complete(Long.parseLong(message.substring(8).trim()));
        } else if (message.startsWith("ERROR ")) {
          if (error == null) {
            error = message.substring(6);
          }
          appendLog(line);
        } else if (message.startsWith("STATS")) {
          Map<String, String> values = new LinkedHashMap<>();
          Arrays.stream(message.substring(5).trim().split(" ")).filter(s -> s.contains("=")).forEach(pair -> {
            String[] kv = pair.split("=", 2);
            values.put(kv[0], kv[1]);
          });
          stats.complete(values);
        }
      }
    } catch (IOException | RuntimeException e) {
      appendLog("(reading the contender's output failed: " + e + ")");
    } finally {
      String reason = "the contender JVM exited" + (error != null ? ": " + error : "; see " + log);
      submitted.completeExceptionally(new IllegalStateException(reason));
      running.completeExceptionally(new IllegalStateException(reason));
      stats.completeExceptionally(new IllegalStateException(reason));
    }
  }

  private synchronized void appendLog(String line) {
    try {
      Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
    } catch (IOException e) {
      // the log is a convenience
    }
  }

  /** The first error the contender reported, or null. */
  String error() {
    return error;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Asks the contender to print its stats and exit; returns them (empty when it does not answer). */
  Map<String, String> stop() {
    try {
      OutputStream stdin = process.getOutputStream();
      PrintWriter writer = new PrintWriter(stdin, true, StandardCharsets.UTF_8);
      writer.println("STOP");
      writer.flush();
    } catch (RuntimeException e) {
      // already gone
    }
    try {
      return stats.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return Map.of();
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close(); // end of stdin: the contender halts
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
