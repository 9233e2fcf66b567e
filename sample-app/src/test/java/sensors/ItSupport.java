package sensors;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Waiting, ports, logs, HTTP and reading topics: what the integration tests that start the packaged jar all need. */
final class ItSupport {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ItSupport() {}

  /** {@code GET http://127.0.0.1:<port><path>} with a 5 s timeout. */
  static HttpResponse<String> get(int port, String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** {@code POST http://127.0.0.1:<port><path>} with a JSON body and the given timeout. */
  static HttpResponse<String> postJson(int port, String path, String json, Duration timeout) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
        .timeout(timeout).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** A free local port. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  /** The supplier's value once {@code done} accepts it, or its last value after the timeout. */
  static <T> T eventually(Duration timeout, Supplier<T> supplier, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T value = supplier.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      value = supplier.get();
    }
    return value;
  }

  /** Waits for the condition, failing the test with {@code what} after the timeout. */
  static void awaitTrue(Duration timeout, BooleanSupplier condition, Supplier<String> what, long pollMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("Timed out after %s waiting for %s", timeout, what.get());
      }
      Thread.sleep(pollMillis);
    }
  }

  /** A process's log so far, never failing (for messages). */
  static String readLog(Path log) {
    try {
      return log != null && Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** The last lines of a log under a heading that names whose it is. */
  static String tail(String whose, Path log, int lines) {
    List<String> all = readLog(log).lines().toList();
    return "---- " + whose + ": tail of " + log + " ----\n"
        + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
  }

  /**
   * Reads the topic from the beginning as a new group, committed records only, until {@code count}
   * records arrived or the timeout passed, then for {@code extra} more to catch duplicates.
   *
   * @param client further consumer properties (security), may be empty
   */
  static List<ConsumerRecord<byte[], byte[]>> consumeCommitted(
      String bootstrapServers, Properties client, String topic, int count, Duration timeout, Duration extra) {
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-check-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      long extraUntil = System.nanoTime() + extra.toNanos();
      while (System.nanoTime() < extraUntil) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Waits up to 15 s for a process that was asked to stop, then kills it. */
  static void awaitExit(Process process) {
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * What the streamlet processes left in a temporary directory ({@code -Djava.io.tmpdir}) given to them
   * alone, relative to it: every file and directory except the two that are kept on purpose, one per
   * Flink version and shared by all starts (the extracted RPC system's jar and an empty class path
   * directory, both in {@code cloudflow-flink/}), and the directories of the processes named by pid
   * in {@code running}.
   */
  static List<String> leftInTempDirectory(Path tmp, long... running) throws IOException {
    List<String> left = new ArrayList<>();
    if (!Files.exists(tmp)) {
      return left;
    }
    try (var paths = Files.walk(tmp)) {
      for (Path path : paths.skip(1).toList()) {
        String relative = tmp.relativize(path).toString();
        boolean kept = relative.equals("cloudflow-flink") || relative.equals("cloudflow-flink/empty-classpath")
            || relative.matches("cloudflow-flink/flink-rpc-akka-[^/]+\\.jar");
        for (long pid : running) {
          kept |= relative.startsWith("cloudflow-flink/" + pid + "-");
        }
        if (!kept) {
          left.add(relative);
        }
      }
    }
    return left;
  }

  /**
   * The TCP addresses a process listens on, as {@code address:port} (Linux: its socket inodes in
   * {@code /proc/<pid>/fd}, looked up in {@code /proc/net/tcp} and {@code tcp6}); loopback addresses
   * read {@code 127.0.0.1} or {@code ::1}, any-address {@code 0.0.0.0} or {@code ::}.
   */
  static List<String> listeningAddresses(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while listing
        }
      }
    }
    List<String> listening = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
        String[] fields = line.trim().split("\\s+");
        if (fields[3].equals("0A") && inodes.contains(fields[9])) { // 0A: LISTEN
          String[] local = fields[1].split(":");
          listening.add(address(local[0]) + ":" + Integer.parseInt(local[1], 16));
        }
      }
    }
    return listening;
  }

  /** An address of /proc/net/tcp(6): hex, 32-bit words in host (little-endian) order. */
  private static String address(String hex) {
    if (hex.length() == 8) {
      return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
          + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
    }
    return switch (hex) {
      case "00000000000000000000000000000000" -> "::";
      case "00000000000000000000000001000000" -> "::1";
      case "0000000000000000FFFF00000100007F" -> "127.0.0.1";
      default -> "[" + hex + "]";
    };
  }
}
