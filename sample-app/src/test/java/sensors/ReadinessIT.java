package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static sensors.ItSupport.freePort;

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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * Readiness means running: the packaged jar's readiness probe is UP only once every task of the
 * streamlet's job runs, not as soon as the job's status is RUNNING while its tasks still deploy; and a
 * SIGTERM at that moment, or earlier while the job starts, stops the job with a savepoint (a stop
 * with savepoint fails while a task is not running).
 *
 * <p>The test samples the app's readiness and then the job's task states from the local Flink
 * cluster's REST API (its port fixed with {@code cloudflow.flink.rest.bind-port}) every 100 ms.
 * Readiness is read first: when it was UP, the tasks were all running before, and during a start
 * nothing stops them again, so a task seen not running afterwards is a readiness that came too early.
 */
class ReadinessIT {

  private static final Path APP_JAR = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
  private static final Path WORK = APP_JAR.toAbsolutePath().getParent().resolve("readiness-it");
  private static KafkaBrokerProcess broker;

  private Process app;
  private Path log;
  private int port;
  private int flinkRestPort;
  private Path checkpoints;

  @BeforeAll
  static void startBroker() throws IOException {
    assertThat(APP_JAR).as("packaged jar (run mvn package first)").isRegularFile();
    FileSystemUtils.deleteRecursively(WORK);
    Files.createDirectories(WORK);
    // a broker of its own, not SharedBroker: the broker-outage test stops and starts it
    broker = new KafkaBrokerProcess(WORK.resolve("broker")).withPartitions(2).start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void destroyApp() throws InterruptedException {
    if (app != null && app.isAlive()) {
      app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void readinessIsUpOnlyOnceEveryTaskRunsAndASigtermThenLeavesASavepoint() throws Exception {
    start("at-readiness");
    List<Sample> samples = new ArrayList<>();
    long started = System.nanoTime();
    long deadline = started + Duration.ofSeconds(120).toNanos();
    Sample sample;
    do {
      if (!app.isAlive() || System.nanoTime() > deadline) {
        fail("readiness not UP within 120 s (app alive: %s)\n%s", app.isAlive(), ItSupport.tail("app", log, 60));
      }
      Thread.sleep(100);
      boolean ready = readinessUp();
      sample = new Sample(ItSupport.millisSince(started), ready, jobAndTasks());
      samples.add(sample);
    } while (!sample.ready());
    app.destroy(); // SIGTERM right at readiness UP

    long runningJobWithStartingTasks = samples.stream()
        .filter(s -> s.state().startsWith("RUNNING") && !s.tasksAllRunning()).count();
    System.out.printf("readiness-up-ms=%d samples=%d job-RUNNING-with-tasks-not-running=%d first-ready=%s%n",
        sample.millis(), samples.size(), runningJobWithStartingTasks, sample);
    assertThat(samples).as("samples (ms, readiness, job state and task states)")
        .filteredOn(s -> s.ready() && !s.tasksAllRunning())
        .isEmpty();
    assertThat(sample.state()).as("job state when readiness turned UP").startsWith("RUNNING");
    assertStoppedWithSavepoint();
  }

  // SIGTERM would start every JVM shutdown hook at once, the local cluster's own (its I/O manager's file
  // channels, blob server) among them, which tear the cluster down while the tasks still initialize;
  // StreamletsFirstOnSigterm takes SIGTERM first and stops the job before any hook runs.
  @Test
  void sigtermWhileTheJobStartsWaitsForItsTasksAndLeavesASavepoint() throws Exception {
    start("during-startup");
    ItSupport.awaitTrue(Duration.ofSeconds(120), () -> ItSupport.readLog(log).contains("Submitted streamlet 'processor'"),
        () -> "the processor's job submission\n" + ItSupport.tail("app", log, 60), 20);
    String tasks = jobAndTasks().toString();
    app.destroy(); // SIGTERM while the job starts
    System.out.println("tasks at SIGTERM: " + tasks + "; waited for them: "
        + ItSupport.readLog(log).contains("once its tasks run"));

    assertStoppedWithSavepoint();
  }

  /**
   * A record the processor cannot decode, with {@code bad-records=fail}, fails its job on every
   * restart: liveness turns DOWN once the restarts exceed {@code cloudflow.health.max-restarts} within
   * the window, long before Flink's restart strategy gives up, and readiness, sampled every 200 ms,
   * goes DOWN at the first failure and never flaps back UP while the job runs again between restarts.
   */
  @Test
  void aPoisonRecordRestartLoopTurnsLivenessDownAndReadinessNeverFlapsBackUp() throws Exception {
    String topic = "poison-" + UUID.randomUUID().toString().substring(0, 8);
    start("poison", "processor", "--cloudflow.streamlets.processor.ports.in.topic=" + topic,
        "--cloudflow.streamlets.processor.ports.in.bad-records=fail",
        "--cloudflow.health.max-restarts=3", "--cloudflow.health.restart-window=1m",
        "--management.endpoint.health.show-details=always");
    awaitReadinessUp();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
      producer.send(new ProducerRecord<>(topic, "sensor-1".getBytes(), "not avro".getBytes())).get(10, TimeUnit.SECONDS);
    }
    long poisoned = System.nanoTime();
    StringBuilder readiness = new StringBuilder();
    String liveness;
    do {
      if (!app.isAlive() || ItSupport.millisSince(poisoned) > 60_000) {
        fail("liveness not DOWN within 60 s of the poison record (readiness %s)\n%s", readiness,
            ItSupport.tail("app", log, 60));
      }
      Thread.sleep(200);
      readiness.append(readinessSample());
      liveness = probe("liveness");
    } while (status(liveness).equals("UP"));
    long livenessDownMs = ItSupport.millisSince(poisoned);
    int restarts = ItSupport.readLog(log).split("restarted \\(restart ", -1).length - 1;
    System.out.printf("poison: liveness-down-ms=%d restarts-logged=%d readiness-samples=%s%n",
        livenessDownMs, restarts, readiness);
    assertThat(status(liveness)).as("liveness %s", liveness).isEqualTo("DOWN");
    assertThat(liveness).as("liveness")
        .containsPattern("restart loop: \\d+ restarts in the last 60 s \\(more than 3\\)");
    assertThat(readiness.toString().replace("X", ""))
        .as("readiness every 200 ms after the poison record (U up, D down, X no answer: left out): %s", readiness)
        .matches("U*D+");
    assertThat(probe("readiness")).as("readiness once liveness is DOWN").contains("restart loop");
  }

  /**
   * A broker outage stalls the ingress's checkpoints (its sink cannot flush): once none has completed
   * for {@code cloudflow.health.checkpoint-stall}, liveness says so while readiness stays UP; with the
   * broker back a checkpoint completes and liveness is UP again.
   */
  @Test
  void aBrokerOutageLongerThanTheCheckpointStallWindowIsReportedAndRecoveryClearsIt() throws Exception {
    start("stall", "ingress", "--cloudflow.checkpointing.interval=1s", "--cloudflow.health.checkpoint-stall=3s",
        "--cloudflow.streamlets.ingress.config-parameters.records-per-second=200",
        "--management.endpoint.health.show-details=always");
    awaitReadinessUp();
    ItSupport.awaitTrue(Duration.ofSeconds(30), () -> completedCheckpoints() > 0 && status(probe("liveness")).equals("UP"),
        () -> "a completed checkpoint and liveness UP before the outage: " + probe("liveness"), 200);
    long stopped = System.nanoTime();
    broker.stop();
    try {
      ItSupport.awaitTrue(Duration.ofSeconds(30), () -> probe("liveness").contains("checkpoints stalled"),
          () -> "the stall in liveness: " + probe("liveness") + "\n" + ItSupport.tail("app", log, 40), 200);
      long stallReportedMs = ItSupport.millisSince(stopped);
      String stalled = probe("liveness");
      boolean readyDuringStall = ItSupport.eventually(Duration.ofSeconds(10), this::readinessSample, c -> c != 'X') == 'U';
      broker.start();
      long restarted = System.nanoTime();
      long checkpointsBefore = completedCheckpoints();
      ItSupport.awaitTrue(Duration.ofSeconds(60),
          () -> status(probe("liveness")).equals("UP") && completedCheckpoints() > checkpointsBefore,
          () -> "liveness UP after the broker is back: " + probe("liveness") + "\n" + ItSupport.tail("app", log, 40), 200);
      System.out.printf("stall: reported-ms-after-broker-stop=%d cleared-ms-after-broker-start=%d detail=%s%n",
          stallReportedMs, ItSupport.millisSince(restarted), stalled);
      assertThat(status(stalled)).as("liveness %s", stalled).isEqualTo("DOWN");
      assertThat(stalled).contains("limit 3 s, checkpoint interval 1 s); last completed: checkpoint ");
      assertThat(readyDuringStall).as("readiness while checkpoints stall").isTrue();
    } finally {
      if (!broker.isRunning()) {
        broker.start();
      }
    }
  }

  private void awaitReadinessUp() throws InterruptedException {
    ItSupport.awaitTrue(Duration.ofSeconds(120), () -> app.isAlive() && readinessUp(),
        () -> "readiness UP (app alive: " + app.isAlive() + ")\n" + ItSupport.tail("app", log, 60), 200);
  }

  /** The overall status of a health body, or NO ANSWER. */
  private static String status(String body) {
    try {
      return JsonPath.read(body, "$.status");
    } catch (RuntimeException notJson) {
      return "NO ANSWER";
    }
  }

  /** The checkpoints the local Flink cluster's job has completed, from its REST API; -1 when it cannot tell. */
  private long completedCheckpoints() {
    try {
      List<String> ids = JsonPath.read(ItSupport.get(flinkRestPort, "/jobs/overview").body(), "$.jobs[*].jid");
      if (ids.isEmpty()) {
        return -1;
      }
      Number completed = JsonPath.read(ItSupport.get(flinkRestPort, "/jobs/" + ids.get(0) + "/checkpoints").body(),
          "$.counts.completed");
      return completed.longValue();
    } catch (IOException | RuntimeException notThereYet) {
      return -1;
    }
  }

  /** The body of {@code /actuator/health/<group>}, or NO ANSWER. */
  private String probe(String group) {
    try {
      return ItSupport.get(port, "/actuator/health/" + group).body();
    } catch (IOException notListening) {
      return "NO ANSWER";
    }
  }

  private void start(String name) throws IOException {
    start(name, "processor");
  }

  private void start(String name, String streamlet, String... extra) throws IOException {
    Path dir = Files.createDirectories(WORK.resolve(name));
    log = dir.resolve("processor.log");
    checkpoints = dir.resolve("checkpoints");
    port = freePort();
    flinkRestPort = freePort();
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", APP_JAR.toAbsolutePath().toString(),
        "--streamlet=" + streamlet,
        "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
        "--server.port=" + port,
        "--cloudflow.flink.rest.bind-port=" + flinkRestPort,
        "--cloudflow.checkpointing.directory=" + checkpoints.toUri(),
        "--spring.application.name=readiness-it-" + UUID.randomUUID().toString().substring(0, 8)));
    command.addAll(List.of(extra));
    app = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private void assertStoppedWithSavepoint() throws Exception {
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s after SIGTERM").isTrue();
    String output = ItSupport.readLog(log);
    assertThat(output).as("app log\n%s", ItSupport.tail("app", log, 40))
        .contains("Streamlet 'processor' stopped with savepoint")
        .doesNotContain("Stop with savepoint of streamlet")
        .doesNotContain("Cancelling streamlet");
    try (Stream<Path> files = Files.walk(checkpoints)) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("_metadata")
              && f.getParent().getFileName().toString().startsWith("savepoint-")))
          .as("savepoint metadata under %s", checkpoints).hasSize(1);
    }
    assertThat(app.exitValue()).as("exit code after SIGTERM").isEqualTo(143);
  }

  /** Readiness now: U (up), D (down) or X (no answer within the request's timeout). */
  private char readinessSample() {
    try {
      HttpResponse<String> response = ItSupport.get(port, "/actuator/health/readiness");
      return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"") ? 'U' : 'D';
    } catch (IOException noAnswer) {
      return 'X';
    }
  }

  private boolean readinessUp() {
    return readinessSample() == 'U';
  }

  /**
   * The processor job's state and its tasks per state from the local Flink cluster, or NO JOB. From
   * {@code /jobs/overview}, which asks the job master; {@code /jobs/<id>} answers from a cache up to
   * 3 s old ({@code web.refresh-interval}).
   */
  private JobTasks jobAndTasks() {
    try {
      String overview = ItSupport.get(flinkRestPort, "/jobs/overview").body();
      List<Map<String, Object>> jobs = JsonPath.read(overview, "$.jobs[*]");
      if (jobs.isEmpty()) {
        return new JobTasks("NO JOB", Map.of());
      }
      Map<String, Integer> tasks = new TreeMap<>();
      @SuppressWarnings("unchecked")
      Map<String, Integer> counts = (Map<String, Integer>) jobs.get(0).get("tasks");
      counts.forEach((state, count) -> {
        if (count > 0 && !state.equals("total")) {
          tasks.put(state.toUpperCase(java.util.Locale.ROOT), count);
        }
      });
      return new JobTasks((String) jobs.get(0).get("state"), tasks);
    } catch (IOException | RuntimeException notThereYet) {
      return new JobTasks("NO CLUSTER", Map.of());
    }
  }

  private record JobTasks(String state, Map<String, Integer> tasks) {

    boolean allRunning() {
      return !tasks.isEmpty() && tasks.keySet().stream().allMatch(s -> s.equals("RUNNING") || s.equals("FINISHED"))
          && tasks.containsKey("RUNNING");
    }

    @Override
    public String toString() {
      return state + " " + tasks;
    }
  }

  private record Sample(long millis, boolean ready, JobTasks job) {

    String state() {
      return job.state();
    }

    boolean tasksAllRunning() {
      return job.allRunning();
    }
  }
}
