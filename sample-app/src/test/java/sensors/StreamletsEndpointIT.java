package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static sensors.ItSupport.freePort;
import static sensors.ItSupport.millisSince;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The {@code streamlets} actuator endpoint of the packaged jar, driven over HTTP as an operator would,
 * against a broker process with records flowing: a savepoint on request, suspend (readiness DOWN with
 * the reason, liveness UP, the process stays), resume and restart, each called twice where that must
 * be harmless, and the refusals. The processor's per-sensor counts (keyed state) then show that no
 * reading was lost or counted twice across all of it (exactly-once), or lost (at-least-once).
 */
class StreamletsEndpointIT {

  private static final Path APP_JAR = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
  private static final Path WORK = APP_JAR.toAbsolutePath().getParent().resolve("streamlets-endpoint-it");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration ACTION_TIMEOUT = Duration.ofSeconds(60);
  private static final String ENDPOINT = "/actuator/streamlets/processor";
  private static KafkaBrokerProcess broker;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Process app;
  private Path log;
  private int port;
  private Path checkpoints;

  @BeforeAll
  static void startBroker() throws IOException {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.WARN);
    }
    assertThat(APP_JAR).as("packaged jar (run mvn package first)").isRegularFile();
    FileSystemUtils.deleteRecursively(WORK);
    Files.createDirectories(WORK);
    broker = SharedBroker.get();
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (app != null && app.isAlive()) {
      app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  @Test
  void exactlyOnceLosesAndDuplicatesNothingAcrossSavepointSuspendResumeAndRestart() throws Exception {
    SensorTraffic traffic = start("eo", "--cloudflow.delivery-guarantee=exactly-once",
        // periodic savepoints and their retention run alongside the operator's
        "--cloudflow.checkpointing.savepoint-interval=4s", "--cloudflow.checkpointing.savepoints-retained=2");
    String read = get(ENDPOINT).body();
    assertThat(JsonPath.<String>read(read, "$.mode")).isEqualTo("local");
    assertThat(JsonPath.<String>read(read, "$.jobId")).matches("[0-9a-f]{32}");
    assertThat(JsonPath.<String>read(read, "$.state")).isEqualTo("RUNNING");
    assertThat(JsonPath.<Boolean>read(read, "$.running")).isTrue();
    assertThat(JsonPath.<Integer>read(read, "$.parallelism")).isEqualTo(1);
    assertThat(JsonPath.<String>read(read, "$.deliveryGuarantee")).isEqualTo("EXACTLY_ONCE");
    assertThat(JsonPath.<Map<String, String>>read(read, "$.ports")).containsOnlyKeys("in", "out");
    assertThat(JsonPath.<String>read(read, "$.stateDirectory")).contains(checkpoints.toString());
    assertThat(JsonPath.<String>read(get("/actuator/streamlets").body(), "$.streamlets.processor.state")).isEqualTo("RUNNING");

    traffic.send(2_000);
    long t = System.nanoTime();
    HttpResponse<String> savepoint = act("savepoint");
    long savepointMillis = millisSince(t);
    assertThat(savepoint.statusCode()).as(savepoint.body()).isEqualTo(200);
    String savepointPath = JsonPath.read(savepoint.body(), "$.savepoint");
    assertThat(Path.of(savepointPath.replaceFirst("^file:/*", "/")).resolve("_metadata")).isRegularFile();

    // records in flight while the job stops: exactly-once commits what its savepoint holds, no more
    traffic.send(20_000);
    t = System.nanoTime();
    HttpResponse<String> suspend = act("suspend");
    long suspendMillis = millisSince(t);
    assertThat(suspend.statusCode()).as(suspend.body()).isEqualTo(200);
    String suspendedWith = JsonPath.read(suspend.body(), "$.savepoint");
    assertThat(suspendedWith).contains("savepoint-");
    assertThat(JsonPath.<String>read(suspend.body(), "$.now.state")).startsWith("SUSPENDED by an operator, with savepoint " + suspendedWith);
    HttpResponse<String> readiness = get("/actuator/health/readiness");
    assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
    assertThat(JsonPath.<String>read(readiness.body(), "$.components.streamlets.details.processor"))
        .startsWith("SUSPENDED by an operator").contains("resume");
    HttpResponse<String> liveness = get("/actuator/health/liveness");
    assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
    assertThat(app.isAlive()).isTrue();

    HttpResponse<String> again = act("suspend");
    assertThat(again.statusCode()).as("suspending twice: " + again.body()).isEqualTo(200);
    assertThat(JsonPath.<String>read(again.body(), "$.savepoint")).isEqualTo(suspendedWith);
    HttpResponse<String> refused = act("savepoint");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(JsonPath.<String>read(refused.body(), "$.message")).contains("suspended").contains("resume it first");

    traffic.send(5_000); // while suspended: waits in the topic
    t = System.nanoTime();
    HttpResponse<String> resume = act("resume");
    assertThat(resume.statusCode()).as(resume.body()).isEqualTo(200);
    long resumeReadyMillis = awaitReadiness(t);
    assertThat(JsonPath.<String>read(get(ENDPOINT).body(), "$.restoredFrom")).isEqualTo(suspendedWith);
    HttpResponse<String> resumeAgain = act("resume");
    assertThat(resumeAgain.statusCode()).as("resuming a running streamlet: " + resumeAgain.body()).isEqualTo(200);
    assertThat(JsonPath.<Boolean>read(resumeAgain.body(), "$.now.running")).isTrue();

    traffic.send(5_000);
    t = System.nanoTime();
    HttpResponse<String> restart = act("restart");
    assertThat(restart.statusCode()).as(restart.body()).isEqualTo(200);
    long restartReadyMillis = awaitReadiness(t);

    traffic.send(1_000);
    traffic.awaitCaughtUp(Duration.ofSeconds(60), () -> ItSupport.tail("app", log, 80));
    traffic.assertExactlyOneSummaryPerReading();

    assertThat(act("nope", "savepoint").statusCode()).isEqualTo(404);
    HttpResponse<String> badAction = act("explode");
    assertThat(badAction.statusCode()).as(badAction.body()).isEqualTo(400);
    // a periodic savepoint (every 4 s) is on disk a moment before the older ones beyond the two kept are pruned
    List<String> onDisk = ItSupport.eventually(Duration.ofSeconds(10), this::savepointsOnDisk, s -> s.size() >= 1 && s.size() <= 2);
    assertThat(onDisk).as("savepoints kept (savepoints-retained=2)").hasSizeBetween(1, 2);
    assertThat(ItSupport.readLog(log)).contains("takes a savepoint every 4 s");
    System.out.printf("streamlets endpoint (exactly-once): savepoint %d ms, suspend %d ms, resume to ready %d ms, "
        + "restart to ready %d ms%n", savepointMillis, suspendMillis, resumeReadyMillis, restartReadyMillis);
  }

  /**
   * At-least-once, with the local cluster's web UI on a fixed port (cloudflow.flink.rest.port): each
   * resume and restart starts a new local cluster on the same port, once the old one has let it go.
   */
  @Test
  void atLeastOnceLosesNothingAcrossSuspendResumeAndRestartOnAFixedFlinkUiPort() throws Exception {
    int flinkPort = freePort();
    SensorTraffic traffic = start("alo", "--cloudflow.flink.rest.port=" + flinkPort);
    traffic.send(20_000);
    HttpResponse<String> suspend = act("suspend");
    assertThat(suspend.statusCode()).as(suspend.body()).isEqualTo(200);
    traffic.send(5_000);
    HttpResponse<String> resume = act("resume");
    assertThat(resume.statusCode()).as(resume.body()).isEqualTo(200);
    awaitReadiness(System.nanoTime());
    traffic.send(1_000);
    HttpResponse<String> restart = act("restart");
    assertThat(restart.statusCode()).as(restart.body()).isEqualTo(200);
    awaitReadiness(System.nanoTime());
    traffic.send(1_000);
    traffic.awaitCaughtUp(Duration.ofSeconds(60), () -> ItSupport.tail("app", log, 80));
    String overview = ItSupport.get(flinkPort, "/jobs/overview").body();
    assertThat(JsonPath.<List<String>>read(overview, "$.jobs[?(@.state == 'RUNNING')].name"))
        .as("the running job on the Flink UI's port %d after the restart: %s", flinkPort, overview).containsExactly("processor");

    traffic.received().forEach((sensor, counts) -> assertThat(counts).as("counts of %s", sensor)
        .containsAll(java.util.stream.LongStream.rangeClosed(1, traffic.sent().get(sensor)).boxed().toList()));
    long duplicates = traffic.received().values().stream().mapToLong(List::size).sum() - 27_000;
    System.out.printf("streamlets endpoint (at-least-once): %d duplicates across suspend/resume%n", duplicates);
  }

  /** Starts the processor with the endpoint exposed and waits for readiness; returns traffic on fresh topics. */
  private SensorTraffic start(String label, String... args) throws Exception {
    String name = "ops-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path dir = Files.createDirectories(WORK.resolve(name));
    checkpoints = dir.resolve("checkpoints");
    log = dir.resolve("app.log");
    port = freePort();
    // created here: the app's own topic check may time out against a broker on a loaded machine
    broker.createTopic(name + "-in", 2);
    broker.createTopic(name + "-out", 2);
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", APP_JAR.toAbsolutePath().toString(),
        "--streamlet=processor",
        "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
        "--server.port=" + port,
        "--spring.application.name=" + name,
        "--cloudflow.checkpointing.directory=" + checkpoints,
        "--cloudflow.checkpointing.interval=1s",
        "--cloudflow.streamlets.processor.ports.in.topic=" + name + "-in",
        "--cloudflow.streamlets.processor.ports.out.topic=" + name + "-out",
        "--management.endpoints.web.exposure.include=health,streamlets",
        "--management.endpoint.health.show-details=always"));
    command.addAll(List.of(args));
    long started = System.nanoTime();
    app = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitReadiness(started);
    SensorTraffic traffic = new SensorTraffic(broker.bootstrapServers(), name + "-in", name + "-out", 10, name + "-check");
    closeables.add(traffic);
    return traffic;
  }

  /** Waits for readiness UP; returns the milliseconds since {@code since}. */
  private long awaitReadiness(long since) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!app.isAlive()) {
        fail("the app exited with %d\n%s", app.exitValue(), ItSupport.tail("app", log, 80));
      }
      try {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        last = readiness.body();
        if (readiness.statusCode() == 200) {
          return millisSince(since);
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(200);
    }
    return fail("readiness not UP within %s (last: %s)\n%s", READY_TIMEOUT, last, ItSupport.tail("app", log, 80));
  }

  private HttpResponse<String> act(String action) throws IOException {
    return act("processor", action);
  }

  private HttpResponse<String> act(String streamlet, String action) throws IOException {
    return ItSupport.postJson(port, "/actuator/streamlets/" + streamlet, "{\"action\":\"" + action + "\"}", ACTION_TIMEOUT);
  }

  private HttpResponse<String> get(String path) throws IOException {
    return ItSupport.get(port, path);
  }

  /** The savepoints the endpoint lists; none while it does not answer. */
  private List<String> savepointsOnDisk() {
    try {
      HttpResponse<String> response = get(ENDPOINT);
      return response.statusCode() == 200 ? JsonPath.read(response.body(), "$.savepoints[*].path") : List.of();
    } catch (IOException noAnswer) {
      return List.of();
    }
  }
}
