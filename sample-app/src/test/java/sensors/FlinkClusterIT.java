package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the packaged sample jar's {@code processor} streamlet in remote mode against a real Flink
 * session cluster (one job manager and two task managers, each its own JVM started from the Flink
 * jars of Maven Central) and a real Kafka broker in its own JVM:
 *
 * <ol>
 *   <li>the app ships its jars and submits the job with parallelism 2; readiness turns UP only once
 *       the job manager reports the job RUNNING, with both task managers running its subtasks, and
 *       records flow end to end;
 *   <li>a task manager is killed: the job restarts from its last checkpoint once a replacement
 *       registers, and the per-sensor state goes on;
 *   <li>SIGTERM stops the job with a savepoint under {@code <checkpoint dir>/<job id>/savepoints}
 *       (the job manager reports it FINISHED);
 *   <li>the app started again resumes from that savepoint: per-sensor counts continue.
 * </ol>
 *
 * The steps build on each other and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FlinkClusterIT {

  private static final int SENSORS = 5;
  private static final int PARALLELISM = 2;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path appJar = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String inTopic = "cluster-readings-" + run;
  private final String outTopic = "cluster-summaries-" + run;
  private final String applicationName = "cluster-it-" + run;

  private Path workDir;
  private Path checkpointDir;
  private KafkaBrokerProcess broker;
  private FlinkClusterProcesses cluster;
  private SensorTraffic traffic;

  /** The first of the ports the cluster's processes serve the streamlet's metrics on. */
  private int metricsPorts;
  private Process app;
  private int appPort;
  private Path appLog;
  private int appStarts;
  private String jobId;
  /** The app's java.io.tmpdir: where its job jar cache is by default, and where nothing else of ours may stay. */
  private Path appTmp;
  /** The job jar cache after the first start: file name to last-modified time. */
  private Map<String, java.nio.file.attribute.FileTime> cachedJobJars;

  @BeforeAll
  void startClusterAndBroker() throws Exception {
    // the Kafka clients of this test log their whole configuration at INFO
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    assertThat(appJar).as("packaged jar (run mvn package first)").isRegularFile();
    workDir = Files.createDirectories(appJar.getParent().resolve("flink-cluster-it").resolve(run));
    checkpointDir = Files.createDirectories(workDir.resolve("checkpoints"));
    appTmp = Files.createDirectories(workDir.resolve("app-tmp"));
    // the cluster's processes serve the streamlet's metrics through the reporter plugin, as in application mode
    metricsPorts = ItSupport.freePort();
    Path flinkHome = FlinkClusterProcesses.layOutApplication(appJar, workDir.resolve("flink-home"));
    Map<String, String> settings = new LinkedHashMap<>(FlinkClusterProcesses.streamletReporter(
        applicationName, metricsPorts + "-" + (metricsPorts + 9)));
    cluster = new FlinkClusterProcesses(workDir.resolve("cluster"), settings).withPlugins(flinkHome.resolve("plugins"));
    // both start in parallel: each takes seconds (the shared broker only when no test started it before)
    CompletableFuture<KafkaBrokerProcess> brokerStarted = CompletableFuture.supplyAsync(SharedBroker::get);
    long started = System.nanoTime();
    try {
      cluster.start(2, Duration.ofSeconds(90));
    } catch (Exception | AssertionError e) {
      System.out.println(cluster.logTail("jobmanager", 80));
      throw e;
    }
    long clusterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    broker = brokerStarted.get(5, TimeUnit.MINUTES); // its start is bounded by SharedBroker's own timeout
    System.out.printf("flink-cluster-ready-ms=%d (job manager + 2 task managers, %s)%n", clusterMillis, cluster.restAddress());
    System.out.println("jobmanager-jvm-flags=" + String.join(" ", cluster.jobManagerJvmFlags()));
    System.out.println("taskmanager-jvm-flags=" + String.join(" ", cluster.taskManagerJvmFlags()));
    System.out.println("taskmanager-dynamic-config=" + String.join(" ", cluster.taskManagerDynamicConfigs()));
    broker.createTopic(inTopic, 2);
    broker.createTopic(outTopic, 2);

    traffic = new SensorTraffic(broker.bootstrapServers(), inTopic, outTopic, SENSORS, "it-check-" + run);
  }

  @AfterAll
  void stopEverything() {
    if (app != null && app.isAlive()) {
      app.destroyForcibly();
    }
    if (traffic != null) {
      traffic.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void processorRunsOnTheClusterWithParallelismTwo() throws Exception {
    long started = System.nanoTime();
    startApp();
    // readiness turns UP only once the job manager runs the job
    String readyJobState = awaitReadyThenJobState(Duration.ofSeconds(120));
    System.out.printf("app-readiness-up-ms=%d%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    assertThat(readyJobState).as("job state at the job manager when readiness first was UP").isEqualTo("RUNNING");
    assertThat(Files.readString(appLog)).as("app log").contains("remote " + cluster.restAddress());

    String job = cluster.get("/jobs/" + jobId);
    List<Integer> parallelism = JsonPath.read(job, "$.vertices[*].parallelism");
    assertThat(parallelism).as("parallelism of the job's vertices").isNotEmpty().allMatch(p -> p == PARALLELISM);
    cluster.awaitAllVerticesRunning(jobId, Duration.ofSeconds(60));
    assertThat(cluster.taskManagersRunning(jobId)).as("task managers running the job's subtasks").hasSize(2);

    traffic.send(50);
    traffic.awaitCaughtUp(Duration.ofSeconds(60), this::appLogTail);
    traffic.assertExactlyOneSummaryPerReading();

    // remote mode: the cluster's own processes serve the same series a java -jar streamlet does
    String metrics = FlinkClusterProcesses.scrape(metricsPorts, 10);
    String tags = "application=\"" + applicationName + "\",streamlet=\"processor\"";
    assertThat(metrics)
        .contains("cloudflow_streamlet_job_running{" + tags + "} 1.0")
        .contains("cloudflow_streamlet_checkpoints_completed_total{" + tags + "}")
        .containsPattern("cloudflow_streamlet_records_in_total\\{application=\"" + applicationName
            + "\",port=\"in\",streamlet=\"processor\",subtask=\"\\d\",topic=\"" + inTopic + "\"\\} [1-9]");
    printMemory("after-first-records");

    // the job ran on what was shipped: the application's classes and what the cluster lacks, cached by content
    cachedJobJars = jobJarCache();
    long bytes = 0;
    for (String name : cachedJobJars.keySet()) {
      bytes += Files.size(jobJarCacheDirectory().resolve(name));
    }
    System.out.printf("shipped-job-jars=%d shipped-job-jar-mb=%d %s%n", cachedJobJars.size(), bytes >> 20, cachedJobJars.keySet());
    assertThat(cachedJobJars.keySet())
        .as("jars shipped to the cluster")
        .anyMatch(name -> name.startsWith("application-classes-"))
        .anyMatch(name -> name.startsWith("flink-connector-kafka-"))
        .anyMatch(name -> name.startsWith("kafka-clients-"))
        .noneMatch(name -> name.matches("(flink-runtime|flink-core|frocksdbjni|kryo|javassist|spring|tomcat|snakeyaml-2|jackson-databind-3)[-.].*"));
    assertThat(cachedJobJars).as("jars shipped to the cluster").hasSizeLessThanOrEqualTo(25);
    assertThat(bytes >> 20).as("MB shipped to the cluster").isLessThan(40);
    assertNoJobJarsOutsideTheCache();
  }

  @Test
  @Order(2)
  void jobRestartsFromItsLastCheckpointWhenATaskManagerDies() throws Exception {
    assertThat(app).as("app from the previous step").isNotNull();
    // a checkpoint taken after the first records holds their state
    long completed = cluster.completedCheckpoints(jobId);
    ItSupport.awaitTrue(Duration.ofSeconds(30), () -> {
      try {
        return cluster.completedCheckpoints(jobId) > completed;
      } catch (IOException notYet) {
        return false;
      }
    }, () -> "a checkpoint after " + completed, 200);

    cluster.killTaskManager(0);
    // the job needs 2 slots and 1 is left: it restarts and waits for a replacement, as a Kubernetes
    // Deployment of task managers would start one
    cluster.awaitRestarts(jobId, 1, Duration.ofSeconds(60));
    awaitReadinessDown(Duration.ofSeconds(10));
    // from now on the subtasks only go towards running: readiness (read first) must never be UP while
    // the job manager still has a subtask that is not running, although the job is RUNNING meanwhile
    List<String> earlyReadiness = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> notRunning = new java.util.concurrent.CopyOnWriteArrayList<>();
    var sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
    sampler.scheduleWithFixedDelay(() -> {
      boolean ready = readinessUp();
      String tasks = overviewTasks();
      // a sample that the end of sampling interrupted (its overview "NO ANSWER ... InterruptedException") tells nothing
      if (sampling.get() && !tasks.matches("RUNNING \\{RUNNING=\\d+\\}")) {
        notRunning.add(tasks);
        if (ready) {
          earlyReadiness.add(tasks);
        }
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    try {
      cluster.startTaskManager();
      cluster.awaitTaskManagers(2, Duration.ofSeconds(60));
      cluster.awaitAllVerticesRunning(jobId, Duration.ofSeconds(90));
      assertThat(jobState()).isEqualTo("RUNNING");
      awaitReadiness(Duration.ofSeconds(30));
    } finally {
      sampling.set(false);
      sampler.shutdownNow();
      sampler.awaitTermination(10, TimeUnit.SECONDS);
    }
    System.out.printf("samples with a subtask not running while recovering: %d, of them with the job RUNNING: %d%n",
        notRunning.size(), notRunning.stream().filter(t -> t.startsWith("RUNNING")).count());
    assertThat(earlyReadiness).as("readiness UP while a subtask was not running (job state and subtasks per state)")
        .isEmpty();

    traffic.send(25);
    traffic.awaitCaughtUp(Duration.ofSeconds(60), this::appLogTail);
    // at-least-once: a replay after the restart may repeat summaries, but the state went on
    traffic.received().forEach((sensor, counts) -> assertThat(new HashSet<>(counts))
        .as("counts summarized for %s", sensor).containsAll(range(1, traffic.sent().get(sensor))));
  }

  @Test
  @Order(3)
  void sigtermStopsTheJobWithASavepoint() throws Exception {
    assertThat(app).as("app from the previous step").isNotNull();
    long stopping = System.nanoTime();
    app.destroy(); // SIGTERM
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("app exited within 60 s after SIGTERM").isTrue();
    System.out.printf("app-stop-ms=%d exit=%d%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping), app.exitValue());
    List<String> stopLog = Files.readAllLines(appLog).stream()
        .filter(l -> l.contains("Stop") || l.contains("savepoint") || l.contains("Cancel")).toList();
    assertThat(stopLog).as("the app's log lines about stopping").anyMatch(l -> l.contains("stopped with savepoint"));
    // a stop with savepoint ends the job as FINISHED (a cancel would end it CANCELED)
    String stoppedState = ItSupport.eventually(Duration.ofSeconds(10), this::jobStateOrNone, "FINISHED"::equals);
    assertThat(stoppedState).as("job state at the job manager after the app stopped").isEqualTo("FINISHED");
    List<Path> savepoints = completeSavepoints();
    assertThat(savepoints).as("complete savepoints under %s", checkpointDir).hasSize(1);
    // <checkpoint dir>/<the streamlet's stable job id>/savepoints/savepoint-...
    assertThat(checkpointDir.relativize(savepoints.get(0)).toString().replace('\\', '/'))
        .as("savepoint location").matches("[0-9a-f]{32}/savepoints/savepoint-[^/]+");
    System.out.println("savepoint=" + savepoints.get(0));
  }

  /** The directories of complete savepoints ({@code _metadata} written) under the checkpoint directory. */
  private List<Path> completeSavepoints() throws IOException {
    try (Stream<Path> files = Files.walk(checkpointDir, 4)) {
      return files.filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("savepoint-"))
          .toList();
    }
  }

  @Test
  @Order(4)
  void restartedAppResumesFromTheSavepoint() throws Exception {
    assertThat(app).as("app from the previous step").isNotNull().satisfies(p -> assertThat(p.isAlive()).isFalse());
    String previousJob = jobId;
    startApp();
    awaitReadyThenJobState(Duration.ofSeconds(120));
    assertThat(Files.readString(appLog)).as("app log").containsPattern("resumes from \\S*/savepoints/savepoint-");
    // a restart of the same build ships the cached jars: none written again, none added
    assertThat(cachedJobJars).as("job jar cache of the first start").isNotNull();
    assertThat(jobJarCache()).as("job jar cache after the restart").isEqualTo(cachedJobJars);
    assertNoJobJarsOutsideTheCache();
    System.out.println("restarted job " + jobId + " (before: " + previousJob + ")");
    cluster.awaitAllVerticesRunning(jobId, Duration.ofSeconds(60));

    Map<String, Integer> before = new TreeMap<>(traffic.sent());
    int receivedBefore = traffic.received().values().stream().mapToInt(List::size).sum();
    traffic.send(25);
    traffic.awaitCaughtUp(Duration.ofSeconds(60), this::appLogTail);
    // a stop with savepoint leaves nothing to replay: exactly the new summaries, counts going on
    assertThat(traffic.received().values().stream().mapToInt(List::size).sum() - receivedBefore).as("new summaries").isEqualTo(25);
    traffic.received().forEach((sensor, counts) -> assertThat(counts.subList(counts.size() - 5, counts.size()))
        .as("counts of %s after the restart", sensor).containsExactlyElementsOf(range(before.get(sensor) + 1, traffic.sent().get(sensor))));
    printMemory("after-restart");
  }

  @Test
  @Order(5)
  void streamletsEndpointSuspendsAndResumesTheJobOnTheCluster() throws Exception {
    assertThat(app).as("app from the previous step").isNotNull().satisfies(p -> assertThat(p.isAlive()).isTrue());
    String read = ItSupport.get(appPort, "/actuator/streamlets/processor").body();
    assertThat(JsonPath.<String>read(read, "$.mode")).isEqualTo("remote");
    assertThat(JsonPath.<String>read(read, "$.jobId")).isEqualTo(jobId);
    assertThat(JsonPath.<Integer>read(read, "$.parallelism")).isEqualTo(PARALLELISM);

    long started = System.nanoTime();
    HttpResponse<String> suspend = act("suspend");
    long suspendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(suspend.statusCode()).as(suspend.body()).isEqualTo(200);
    String savepoint = JsonPath.read(suspend.body(), "$.savepoint");
    assertThat(Path.of(savepoint.replaceFirst("^file:/*", "/")).resolve("_metadata")).as("the suspension's savepoint").isRegularFile();
    String suspendedState = ItSupport.eventually(Duration.ofSeconds(10), this::jobStateOrNone, "FINISHED"::equals);
    assertThat(suspendedState).as("job state at the job manager once suspended").isEqualTo("FINISHED");
    assertThat(readinessUp()).as("readiness while suspended").isFalse();
    assertThat(ItSupport.get(appPort, "/actuator/health/liveness").statusCode()).as("liveness while suspended").isEqualTo(200);

    String suspendedJob = jobId;
    Map<String, Integer> before = new TreeMap<>(traffic.sent());
    int receivedBefore = traffic.received().values().stream().mapToInt(List::size).sum();
    traffic.send(25); // waits in the topic while suspended
    started = System.nanoTime();
    HttpResponse<String> resume = act("resume");
    assertThat(resume.statusCode()).as(resume.body()).isEqualTo(200);
    assertThat(awaitReadyThenJobState(Duration.ofSeconds(120))).isEqualTo("RUNNING");
    System.out.printf("remote streamlets endpoint: suspend %d ms, resume to ready %d ms%n", suspendMillis,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    assertThat(jobId).as("the resumed job").isNotEqualTo(suspendedJob);
    assertThat(JsonPath.<String>read(ItSupport.get(appPort, "/actuator/streamlets/processor").body(), "$.restoredFrom"))
        .isEqualTo(savepoint);

    traffic.awaitCaughtUp(Duration.ofSeconds(60), this::appLogTail);
    // a suspension stops with a savepoint: nothing to replay, the counts go on
    assertThat(traffic.received().values().stream().mapToInt(List::size).sum() - receivedBefore).as("new summaries").isEqualTo(25);
    traffic.received().forEach((sensor, counts) -> assertThat(counts.subList(counts.size() - 5, counts.size()))
        .as("counts of %s after the resume", sensor).containsExactlyElementsOf(range(before.get(sensor) + 1, traffic.sent().get(sensor))));

    app.destroy();
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("app exited within 60 s after SIGTERM").isTrue();
  }

  private HttpResponse<String> act(String action) throws IOException {
    return ItSupport.postJson(appPort, "/actuator/streamlets/processor", "{\"action\":\"" + action + "\"}", Duration.ofSeconds(60));
  }

  // ---- the app ----

  private Path jobJarCacheDirectory() {
    // the default: in java.io.tmpdir, a directory per application jar name
    return appTmp.resolve("cloudflow-flink-job-jars").resolve(appJar.getFileName().toString().replaceFirst("\\.jar$", ""));
  }

  /** The job jar cache: file name to last-modified time. */
  private Map<String, java.nio.file.attribute.FileTime> jobJarCache() throws IOException {
    Map<String, java.nio.file.attribute.FileTime> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(jobJarCacheDirectory())) {
      for (Path file : (Iterable<Path>) list::iterator) {
        files.put(file.getFileName().toString(), Files.getLastModifiedTime(file));
      }
    }
    return files;
  }

  /** No jar of the app's outside its cache in its temporary directory (Flink's own RPC jar is Flink's). */
  private void assertNoJobJarsOutsideTheCache() throws IOException {
    Path cache = appTmp.resolve("cloudflow-flink-job-jars");
    try (Stream<Path> files = Files.walk(appTmp)) {
      assertThat(files.filter(file -> !file.startsWith(cache) && file.toString().endsWith(".jar"))
          .map(file -> appTmp.relativize(file).toString()))
          .as("jars in the app's temporary directory outside the job jar cache")
          .allMatch(name -> name.matches("flink-rpc-\\w+.*\\.jar"));
    }
  }

  private void startApp() throws IOException {
    appPort = ItSupport.freePort();
    appLog = workDir.resolve("processor-" + ++appStarts + ".log");
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    List<String> command = List.of(java, "-Xmx512m", "-Djava.io.tmpdir=" + appTmp, "-jar", appJar.toString(),
        "--streamlet=processor",
        "--cloudflow.cluster.address=" + cluster.restAddress(),
        "--cloudflow.streamlets.processor.parallelism=" + PARALLELISM,
        "--cloudflow.checkpointing.directory=" + checkpointDir,
        "--cloudflow.checkpointing.interval=2s",
        // readiness after the task manager loss: UP 2 s after every subtask runs again, not the default 30 s
        "--cloudflow.health.settle-time=2s",
        "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
        "--cloudflow.streamlets.processor.ports.in.topic=" + inTopic,
        "--cloudflow.streamlets.processor.ports.out.topic=" + outTopic,
        "--server.port=" + appPort,
        "--management.endpoints.web.exposure.include=health,streamlets",
        "--spring.application.name=" + applicationName);
    System.out.println("starting app: " + String.join(" ", command));
    app = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(appLog.toFile())
        .start();
  }

  /**
   * Polls readiness until UP; at that moment asks the job manager for the state of the app's job
   * (found by name) and returns it. Fails if readiness is UP while the job manager has no such job.
   */
  private String awaitReadyThenJobState(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!app.isAlive()) {
        fail("app exited with " + app.exitValue() + " before it was ready\n" + appLogTail());
      }
      if (readinessUp()) {
        String state = currentJob().map(j -> j[1]).orElse("NO JOB");
        jobId = currentJob().map(j -> j[0]).orElse(null);
        return state;
      }
      Thread.sleep(100);
    }
    fail("readiness not UP within " + timeout + "\n" + appLogTail() + "\n" + cluster.logTail("jobmanager", 40));
    return null;
  }

  private void awaitReadinessDown(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (readinessUp()) {
      if (System.nanoTime() > deadline) {
        fail("readiness still UP " + timeout + " after the job restarted\n" + appLogTail());
      }
      Thread.sleep(100);
    }
  }

  /**
   * The job's state and its subtasks per state, from {@code /jobs/overview}: it asks the job master,
   * where {@code /jobs/<id>} answers from a cache up to 3 s old.
   */
  private String overviewTasks() {
    try {
      List<Map<String, Object>> jobs = JsonPath.read(cluster.get("/jobs/overview"), "$.jobs[?(@.jid == '" + jobId + "')]");
      if (jobs.isEmpty()) {
        return "NO JOB";
      }
      Map<String, Integer> tasks = new TreeMap<>();
      @SuppressWarnings("unchecked")
      Map<String, Integer> counts = (Map<String, Integer>) jobs.get(0).get("tasks");
      counts.forEach((state, count) -> {
        if (count > 0 && !state.equals("total")) {
          tasks.put(state.toUpperCase(java.util.Locale.ROOT), count);
        }
      });
      return jobs.get(0).get("state") + " " + tasks;
    } catch (IOException | RuntimeException e) {
      return "NO ANSWER " + e;
    }
  }

  private void awaitReadiness(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!readinessUp()) {
      if (System.nanoTime() > deadline) {
        fail("readiness not UP within " + timeout + "\n" + appLogTail());
      }
      Thread.sleep(200);
    }
  }

  private boolean readinessUp() {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/actuator/health/readiness"))
              .timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
    } catch (IOException notListening) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ---- the job manager's view ----

  /** The newest job named "processor" that is not terminal, or else the newest: {id, state}. */
  private java.util.Optional<String[]> currentJob() throws IOException {
    String overview = cluster.get("/jobs/overview");
    List<Map<String, Object>> jobs = JsonPath.read(overview, "$.jobs[?(@.name == 'processor')]");
    return jobs.stream()
        .sorted(Comparator.comparingLong((Map<String, Object> j) -> ((Number) j.get("start-time")).longValue()).reversed())
        .map(j -> new String[] {(String) j.get("jid"), (String) j.get("state")})
        .findFirst();
  }

  /**
   * The current job's state from {@code /jobs/overview}, which asks the dispatcher; {@code /jobs/<id>}
   * answers from a cache up to 3 s old ({@code web.refresh-interval}) and can still say RUNNING right
   * after a stop with savepoint returned.
   */
  private String jobState() throws IOException {
    List<String> states = JsonPath.read(cluster.get("/jobs/overview"), "$.jobs[?(@.jid == '" + jobId + "')].state");
    assertThat(states).as("job %s at the job manager", jobId).hasSize(1);
    return states.get(0);
  }

  /** {@link #jobState()}, or what went wrong when the job manager did not answer. */
  private String jobStateOrNone() {
    try {
      return jobState();
    } catch (IOException noAnswer) {
      return "no answer: " + noAnswer;
    }
  }

  // ---- records ----

  private static List<Long> range(long fromInclusive, long toInclusive) {
    List<Long> values = new ArrayList<>();
    for (long i = fromInclusive; i <= toInclusive; i++) {
      values.add(i);
    }
    return values;
  }

  private void printMemory(String when) {
    Map<String, Long> rss = new LinkedHashMap<>(cluster.residentMemoryMiB());
    rss.put("app", FlinkClusterProcesses.rssMiB(app));
    System.out.println("rss-mib-" + when + "=" + rss);
  }

  private String appLogTail() {
    try {
      List<String> lines = Files.readAllLines(appLog);
      List<String> problems = lines.stream()
          .filter(l -> l.contains(" ERROR ") || l.contains(" WARN ") || l.startsWith("Caused by:")).limit(30).toList();
      return "---- errors, warnings and causes in " + appLog + " ----\n" + String.join("\n", problems)
          + "\n---- its last lines ----\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no app log: " + e + ")";
    }
  }
}
