package sensors;

import static sensors.ItSupport.eventually;
import static sensors.ItSupport.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import cloudflow.streamlets.avro.AvroCodec;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * Proves that the packaged Spring Boot jar runs the stateful {@code processor} streamlet with plain
 * {@code java -jar} (no extra JVM flags): it becomes ready, aggregates real Kafka records per sensor,
 * exposes its Flink port metrics and probes, and stops cleanly on SIGTERM.
 */
class PackagedJarIT {

  private static final int SENSORS = 5;
  private static final int READINGS = 50;

  private final Path appJar = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
  private Path log;
  private Path tmp;
  private int port;

  @Test
  void processorRunsFromThePackagedJar() throws Exception {
    assertThat(appJar).as("packaged jar (run mvn package first)").isRegularFile();
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 2, "sensor-readings", "sensor-summaries");
    broker.afterPropertiesSet();
    Process app = null;
    try {
      app = start(broker.getBrokersAsString());
      long started = System.nanoTime();
      awaitUp(app, "/actuator/health/readiness", Duration.ofSeconds(90));
      System.out.println("readiness-up-ms=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

      Map<String, List<Double>> sent = produceReadings(broker.getBrokersAsString());
      List<ConsumerRecord<byte[], byte[]>> summaries = consumeSummaries(broker.getBrokersAsString(), Duration.ofSeconds(60));
      assertSummaries(summaries, sent);

      // The rest is checked softly so that one broken probe or metric does not hide the shutdown result.
      SoftAssertions softly = new SoftAssertions();
      String scrape = eventually(Duration.ofSeconds(20), this::scrapePrometheus,
          s -> counter(s, "cloudflow_streamlet_records_in_total", "port=\"in\"", "topic=\"sensor-readings\"") > 0
              && counter(s, "cloudflow_streamlet_records_out_total", "port=\"out\"") > 0);
      String cloudflowMeters = scrape.lines().filter(l -> l.startsWith("cloudflow_")).collect(Collectors.joining("\n"));
      softly.assertThat(counter(scrape, "cloudflow_streamlet_records_in_total", "port=\"in\"", "topic=\"sensor-readings\""))
          .as("cloudflow_streamlet_records_in_total of processor.in in\n%s", cloudflowMeters).isPositive();
      softly.assertThat(counter(scrape, "cloudflow_streamlet_records_out_total", "port=\"out\""))
          .as("cloudflow_streamlet_records_out_total of processor.out in\n%s", cloudflowMeters).isPositive();
      softly.assertThat(get("/actuator/health/liveness").body()).as("liveness").contains("\"status\":\"UP\"");
      softly.assertThat(get("/actuator/env").statusCode()).as("/actuator/env must not be exposed").isEqualTo(404);
      // in a pod, only the HTTP port (probes, metrics) may listen on the pod's address: Flink's REST API and
      // blob server have no authentication
      List<String> listening = ItSupport.listeningAddresses(app.pid());
      softly.assertThat(listening).as("listening sockets of the streamlet process").isNotEmpty()
          .allSatisfy(this::httpOrLoopback);
      System.out.println("listening=" + listening);

      app.destroy(); // SIGTERM
      assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s after SIGTERM").isTrue();
      softly.assertThat(app.exitValue()).as("exit code after SIGTERM").isEqualTo(143);
      assertCleanShutdown(softly, Files.readAllLines(log));
      // Flink's RPC jar, minicluster_* working directory, spill files, Tomcat's directory: all gone
      softly.assertThat(ItSupport.leftInTempDirectory(tmp)).as("left in java.io.tmpdir after SIGTERM").isEmpty();
      softly.assertAll();
    } catch (AssertionError | Exception e) {
      System.out.println("---- tail of " + log + " ----\n" + tail());
      throw e;
    } finally {
      if (app != null && app.isAlive()) {
        app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      broker.destroy();
    }
  }

  /**
   * The {@code -dev} jar on its embedded broker with one streamlet: only the HTTP port listens on a
   * non-loopback address (the broker's two listeners and Flink's services are on localhost), the log
   * says once that nothing in this JVM feeds the processor (with the command that runs the whole
   * pipeline), and a stop leaves the temporary directory empty.
   */
  @Test
  void devJarKeepsBrokerAndFlinkOnLocalhostAndSaysNobodyFeedsTheProcessor() throws Exception {
    Path devJar = devJar();
    Process app = null;
    try {
      app = startDev(devJar, "dev-processor", "--streamlet=processor");
      awaitUp(app, "/actuator/health/readiness", Duration.ofSeconds(150)); // a broker and a Flink cluster start
      String started = Files.readString(log);
      java.util.regex.Matcher broker = java.util.regex.Pattern.compile("EMBEDDED Kafka broker at [^:]+:(\\d+)").matcher(started);
      assertThat(broker.find()).as("the embedded broker's address in the log").isTrue();
      String brokerPort = broker.group(1);
      List<String> listening = ItSupport.listeningAddresses(app.pid());
      System.out.println("dev-listening=" + listening);
      assertThat(listening).as("listening sockets of the dev jar's process").anyMatch(address -> address.endsWith(":" + brokerPort));
      // the embedded broker's listeners (broker and KRaft controller) and Flink's services stay on loopback
      assertThat(listening).as("listening sockets of the dev jar's process").allSatisfy(this::httpOrLoopback);
      assertThat(started.lines().filter(line -> line.contains("no streamlet of this JVM writes them")))
          .as("the warning that nothing feeds the processor, once").hasSize(1)
          .allSatisfy(line -> assertThat(line).contains("processor.in", "sensor-readings", "--spring.profiles.active=local"));

      app.destroy(); // SIGTERM
      assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s after SIGTERM").isTrue();
      assertThat(ItSupport.leftInTempDirectory(tmp)).as("left in java.io.tmpdir after SIGTERM").isEmpty();
    } catch (AssertionError | Exception e) {
      System.out.println(ItSupport.tail("dev jar", log, 60));
      throw e;
    } finally {
      if (app != null && app.isAlive()) {
        app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** An unknown streamlet is refused before the web server, the embedded broker or Flink start. */
  @Test
  void unknownStreamletIsRefusedBeforeAnythingStarts() throws Exception {
    Process app = startDev(devJar(), "dev-nope", "--streamlet=nope");
    long started = System.nanoTime();
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    System.out.println("unknown-streamlet-exit-ms=" + ItSupport.millisSince(started));
    String output = Files.readString(log);
    assertThat(app.exitValue()).as("exit code").isEqualTo(1);
    assertThat(output).contains("Unknown streamlet 'nope'").contains("egress, ingress, processor")
        .doesNotContain("Tomcat initialized").doesNotContain("EMBEDDED Kafka broker").doesNotContain("MiniCluster");
    assertThat(ItSupport.leftInTempDirectory(tmp)).as("left in java.io.tmpdir after the refusal").isEmpty();
  }

  /** Only the HTTP port (probes, metrics) may listen on a pod's address: no other service has authentication. */
  private void httpOrLoopback(String address) {
    if (!address.endsWith(":" + port)) {
      assertThat(address).as("a service other than the HTTP port").matches("(127\\.0\\.0\\.1|::1):\\d+");
    }
  }

  private Path devJar() {
    Path devJar = appJar.resolveSibling(appJar.getFileName().toString().replaceFirst("\\.jar$", "-dev.jar"));
    assertThat(devJar).as("dev jar (run mvn package first)").isRegularFile();
    return devJar;
  }

  private Process startDev(Path devJar, String name, String... args) throws IOException {
    Path workDir = Files.createDirectories(appJar.toAbsolutePath().getParent().resolve("packaged-jar-it").resolve(name));
    log = workDir.resolve("app.log");
    tmp = workDir.resolve("tmp");
    FileSystemUtils.deleteRecursively(tmp);
    port = freePort();
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-Djava.io.tmpdir=" + Files.createDirectories(tmp),
        "-jar", devJar.toAbsolutePath().toString(), "--server.port=" + port));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private Process start(String bootstrapServers) throws IOException {
    Path workDir = Files.createDirectories(appJar.toAbsolutePath().getParent().resolve("packaged-jar-it"));
    log = workDir.resolve("processor.log");
    port = freePort();
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    tmp = workDir.resolve("tmp");
    FileSystemUtils.deleteRecursively(tmp); // an earlier run's
    return new ProcessBuilder(java, "-Xmx512m", "-Djava.io.tmpdir=" + Files.createDirectories(tmp), "-jar",
        appJar.toAbsolutePath().toString(),
        "--streamlet=processor",
        "--spring.kafka.bootstrap-servers=" + bootstrapServers,
        "--server.port=" + port,
        "--spring.application.name=it-" + UUID.randomUUID().toString().substring(0, 8))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private void awaitUp(Process app, String path, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!app.isAlive()) {
        throw new AssertionError("app exited with " + app.exitValue() + " before " + path + " was UP");
      }
      try {
        HttpResponse<String> response = get(path);
        if (response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"")) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling
      }
      Thread.sleep(200);
    }
    throw new AssertionError(path + " not UP within " + timeout);
  }

  /** Sends {@link #READINGS} readings round-robin over the sensors; returns the values sent per sensor. */
  private Map<String, List<Double>> produceReadings(String bootstrapServers) {
    AvroCodec<SensorReading> codec = new AvroCodec<>(SensorReading.class);
    Map<String, List<Double>> sent = new LinkedHashMap<>();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < READINGS; i++) {
        String sensorId = "sensor-" + (i % SENSORS);
        double value = 10.0 + (i * 7 % 23) + (i % SENSORS) * 0.5; // varied, not monotonic per sensor
        sent.computeIfAbsent(sensorId, k -> new ArrayList<>()).add(value);
        SensorReading reading = new SensorReading(sensorId, System.currentTimeMillis(), value);
        producer.send(new ProducerRecord<>("sensor-readings", sensorId.getBytes(StandardCharsets.UTF_8), codec.encode(reading)));
      }
      producer.flush();
    }
    return sent;
  }

  /** Reads sensor-summaries until {@link #READINGS} records arrived, then a little longer to catch extras. */
  private static List<ConsumerRecord<byte[], byte[]>> consumeSummaries(String bootstrapServers, Duration timeout) {
    return ItSupport.consumeCommitted(
        bootstrapServers, new Properties(), "sensor-summaries", READINGS, timeout, Duration.ofSeconds(2));
  }

  private static void assertSummaries(List<ConsumerRecord<byte[], byte[]>> records, Map<String, List<Double>> sent) {
    assertThat(records).as("one summary per reading").hasSize(READINGS);
    AvroCodec<SensorSummary> codec = new AvroCodec<>(SensorSummary.class);
    Map<String, SensorSummary> last = new HashMap<>(); // records of one key share a partition, so arrive in order
    for (ConsumerRecord<byte[], byte[]> record : records) {
      SensorSummary summary = codec.decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).as("record key").isEqualTo(summary.getSensorId());
      last.put(summary.getSensorId(), summary);
    }
    assertThat(last).containsOnlyKeys(sent.keySet());
    sent.forEach((sensorId, values) -> {
      SensorSummary summary = last.get(sensorId);
      var stats = values.stream().mapToDouble(Double::doubleValue).summaryStatistics();
      assertThat(summary.getCount()).as("%s count", sensorId).isEqualTo(values.size());
      assertThat(summary.getMin()).as("%s min", sensorId).isEqualTo(stats.getMin());
      assertThat(summary.getMax()).as("%s max", sensorId).isEqualTo(stats.getMax());
      assertThat(summary.getMean()).as("%s mean", sensorId).isCloseTo(stats.getAverage(), within(1e-9));
      assertThat(summary.getLastValue()).as("%s last value", sensorId).isEqualTo(values.get(values.size() - 1));
    });
  }

  /** After the first "Stopping streamlet" line: the job stops with a savepoint, the launcher reports it, and nothing fails. */
  private static void assertCleanShutdown(SoftAssertions softly, List<String> lines) {
    int from = indexOf(lines, "Stopping streamlet");
    assertThat(from).as("a 'Stopping streamlet' line in the log").isNotNegative();
    List<String> shutdown = lines.subList(from, lines.size());
    softly.assertThat(String.join("\n", shutdown)).as("shutdown log")
        .contains("stopped with savepoint").contains("is FINISHED").contains("Stopped streamlets [processor]");
    softly.assertThat(shutdown).as("shutdown log lines with Exception or ERROR")
        .filteredOn(line -> line.contains("Exception") || line.contains("ERROR")).isEmpty();
  }

  private String scrapePrometheus() {
    try {
      return get("/actuator/prometheus").body();
    } catch (IOException e) {
      return "";
    }
  }

  /** Sum of the samples of a Prometheus counter of the processor whose labels contain all of the given ones. */
  private static double counter(String scrape, String name, String... labels) {
    return scrape.lines()
        .filter(line -> line.startsWith(name + "{") && line.contains("streamlet=\"processor\""))
        .filter(line -> List.of(labels).stream().allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private HttpResponse<String> get(String path) throws IOException {
    return ItSupport.get(port, path);
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }

  private String tail() {
    try {
      List<String> lines = log == null ? List.of() : Files.readAllLines(log);
      int from = indexOf(lines, "Stopping streamlet");
      return String.join("\n", lines.subList(from >= 0 ? Math.max(0, from - 5) : Math.max(0, lines.size() - 80), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

}
