package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static sensors.ItSupport.freePort;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;

/**
 * The sample's {@code processor} in Flink application mode, started the way the Flink Kubernetes
 * Operator starts the generated {@code config/flink/processor.yaml}, from Maven Central jars: the Boot
 * jar laid out by {@code config/flink/application-layout.sh} (what the Dockerfile's {@code flink}
 * image holds) in a Flink home, a job manager JVM running {@link StandaloneApplicationEntryPoint} with
 * the CR's {@code entryClass}, {@code args}, {@code job.parallelism} and {@code flinkConfiguration}
 * (paths moved to a test folder, Kubernetes HA left out) and the generated ConfigMap's environment,
 * two task manager JVMs, a broker process.
 *
 * <ol>
 *   <li>the job runs with the CR's parallelism on both task managers and records flow; the CR's
 *       checkpoint interval and directories are the job's;
 *   <li>the job manager and task managers serve the {@code cloudflow_streamlet_*} series;
 *   <li>kill -9 of a task manager: the job restarts from its last checkpoint, nothing lost;
 *   <li>savepoint upgrade as the operator does it: stop-with-savepoint over REST, a new cluster with
 *       {@code execution.state-recovery.path}; the per-sensor counts go on, a newer stale checkpoint in
 *       the checkpoint directory does not win;
 *   <li>SIGTERM to the job manager: the application's shutdown leaves the job to Flink (no savepoint of
 *       its own that a later start could pick up).
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ApplicationModeIT {

  private static final int SENSORS = 5;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path appJar = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private Path workDir;
  private Path flinkHome;
  private Path dataDir;
  private KafkaBrokerProcess broker;
  private SensorTraffic traffic;
  private FlinkClusterProcesses cluster;
  private Map<String, Object> deployment;
  /** The environment the pods get from the generated ConfigMap (envFrom). */
  private final Map<String, String> podEnvironment = new LinkedHashMap<>();
  private int parallelism;
  private int jobManagerMetricsPort;
  private int taskManagerMetricsPorts;
  private String jobId;

  @BeforeAll
  @SuppressWarnings("unchecked")
  void layOutTheApplicationAndStartTheBroker() throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    assertThat(appJar).as("packaged jar (run mvn package first)").isRegularFile();
    workDir = Files.createDirectories(appJar.getParent().resolve("application-mode-it").resolve(run));
    dataDir = Files.createDirectories(workDir.resolve("flink-data"));
    flinkHome = Files.createDirectories(workDir.resolve("flink-home"));
    // the shared broker (see SharedBroker: this test alone uses the blueprint's topics and application id)
    CompletableFuture<KafkaBrokerProcess> brokerStarted = CompletableFuture.supplyAsync(SharedBroker::get);
    FlinkClusterProcesses.layOutApplication(appJar, flinkHome);
    for (Object document : new Yaml().loadAll(Files.readString(Path.of("..", "config", "flink", "processor.yaml")))) {
      Map<String, Object> object = (Map<String, Object>) document;
      if ("FlinkDeployment".equals(object.get("kind"))) {
        deployment = object;
      }
    }
    for (Object document : new Yaml().loadAll(Files.readString(Path.of("..", "config", "flink", "00-sensor-pipeline.yaml")))) {
      Map<String, Object> object = (Map<String, Object>) document;
      if ("ConfigMap".equals(object.get("kind"))) {
        ((Map<String, Object>) object.get("data")).forEach((key, value) -> podEnvironment.put(key, String.valueOf(value)));
      }
    }
    parallelism = ((Number) job().get("parallelism")).intValue();
    jobManagerMetricsPort = freePort();
    taskManagerMetricsPorts = freePort();
    broker = brokerStarted.get(5, TimeUnit.MINUTES); // its start is bounded by SharedBroker's own timeout
    broker.createTopic("sensor-readings", 2);
    broker.createTopic("sensor-summaries", 2);
    traffic = new SensorTraffic(broker.bootstrapServers(), "sensor-readings", "sensor-summaries", SENSORS, "it-" + run);
  }

  @AfterAll
  void stopEverything() {
    if (traffic != null) {
      traffic.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void theJobRunsWithTheDeploymentsParallelismAndSettings() throws Exception {
    long started = System.nanoTime();
    startCluster("first", Map.of());
    awaitAllVerticesRunning(Duration.ofSeconds(120));
    System.out.printf("application-mode job-manager-start-to-job-running-ms=%d%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

    traffic.send(50);
    traffic.awaitCaughtUp(Duration.ofSeconds(60), () -> cluster.logTail("jobmanager", 60));
    traffic.assertExactlyOneSummaryPerReading();

    String job = cluster.get("/jobs/" + jobId);
    assertThat(JsonPath.<List<Integer>>read(job, "$.vertices[*].parallelism")).containsOnly(parallelism);
    assertThat(cluster.taskManagersRunning(jobId)).as("task managers running subtasks").hasSize(2);
    Map<String, Object> flinkConfiguration = flinkConfiguration();
    String checkpointConfig = cluster.get("/jobs/" + jobId + "/checkpoints/config");
    assertThat(JsonPath.<Number>read(checkpointConfig, "$.interval").longValue())
        .as("checkpoint interval (ms), the CR's %s", flinkConfiguration.get("execution.checkpointing.interval"))
        .isEqualTo(Duration.ofSeconds(30).toMillis());
    awaitCompletedCheckpoint(Duration.ofSeconds(60));
    String checkpoints = cluster.get("/jobs/" + jobId + "/checkpoints");
    assertThat(JsonPath.<String>read(checkpoints, "$.latest.completed.external_path"))
        .as("where the checkpoint went: the CR's directory, as Flink lays it out")
        .startsWith(dataDir.resolve("checkpoints").resolve(jobId).toUri().toString().replace("file:///", "file:/"));
    assertThat(Files.readString(cluster.log("jobmanager")))
        .contains("Streamlet 'processor' job settings (inside the Flink cluster)")
        .contains("from the cluster: execution.checkpointing.interval=30 s")
        .doesNotContain("ClassNotFoundException");
  }

  @Test
  @Order(2)
  void theClusterServesTheStreamletSeriesTheDashboardAndAlertsUse() throws Exception {
    String jobManager = ItSupport.get(jobManagerMetricsPort, "/metrics").body();
    assertThat(jobManager)
        .contains("cloudflow_streamlet_checkpoints_completed_total{application=\"sensor-pipeline\",streamlet=\"processor\"}")
        .contains("cloudflow_streamlet_job_restarts_total{application=\"sensor-pipeline\",streamlet=\"processor\"}")
        .contains("cloudflow_streamlet_job_uptime_seconds{application=\"sensor-pipeline\",streamlet=\"processor\"}")
        .contains("cloudflow_streamlet_job_running{application=\"sensor-pipeline\",streamlet=\"processor\"} 1.0")
        .contains("cloudflow_streamlet_checkpoint_last_age_seconds{application=\"sensor-pipeline\",streamlet=\"processor\"}");
    assertThat(FlinkClusterProcesses.scrape(taskManagerMetricsPorts, 10))
        .containsPattern("cloudflow_streamlet_records_in_total\\{application=\"sensor-pipeline\",port=\"in\",streamlet=\"processor\",subtask=\"\\d\",topic=\"sensor-readings\"\\} [1-9]")
        .containsPattern("cloudflow_streamlet_records_out_total\\{application=\"sensor-pipeline\",port=\"out\",streamlet=\"processor\",subtask=\"\\d\",topic=\"sensor-summaries\"\\} [1-9]")
        .contains("cloudflow_streamlet_consumer_lag{application=\"sensor-pipeline\",port=\"in\"");
  }

  @Test
  @Order(3)
  void aKilledTaskManagerCostsARestartFromTheLastCheckpointAndNothingElse() throws Exception {
    awaitCompletedCheckpoint(Duration.ofSeconds(60));
    cluster.killTaskManager(0);
    cluster.startTaskManager(); // as Kubernetes replaces the pod
    cluster.awaitRestarts(jobId, 1, Duration.ofSeconds(90));
    awaitAllVerticesRunning(Duration.ofSeconds(90));
    traffic.send(25);
    traffic.awaitCaughtUp(Duration.ofSeconds(60), () -> cluster.logTail("jobmanager", 60));
    traffic.assertExactlyOneSummaryPerReading();
  }

  @Test
  @Order(4)
  void aSavepointUpgradeContinuesTheStateAndAStaleCheckpointDoesNotWin() throws Exception {
    awaitCompletedCheckpoint(Duration.ofSeconds(60));
    String savepoint = stopWithSavepoint();
    // what the application's own "newest checkpoint" scan would have picked, were it used: newer, and unreadable
    Path stale = Files.createDirectories(dataDir.resolve("checkpoints").resolve("0".repeat(32)).resolve("chk-999"));
    Files.writeString(stale.resolve("_metadata"), "not a checkpoint");
    Files.setLastModifiedTime(stale.resolve("_metadata"), FileTime.from(Instant.now().plusSeconds(60)));
    cluster.close();

    startCluster("upgraded", Map.of("execution.state-recovery.path", savepoint));
    awaitAllVerticesRunning(Duration.ofSeconds(120));
    traffic.send(25);
    traffic.awaitCaughtUp(Duration.ofSeconds(60), () -> cluster.logTail("jobmanager", 60));
    traffic.assertExactlyOneSummaryPerReading();
    assertThat(Files.readString(cluster.log("jobmanager")))
        .contains("restores from " + savepoint + " (the cluster's execution.state-recovery.path)");
  }

  @Test
  @Order(5)
  void sigtermToTheJobManagerLeavesTheJobToFlinkAndTakesNoSavepointOfItsOwn() throws Exception {
    List<Path> before = savepoints();
    cluster.terminateJobManager();

    assertThat(Files.readString(cluster.log("jobmanager")))
        .contains("Leaving streamlet 'processor'")
        .doesNotContain("Stopping streamlet 'processor'");
    assertThat(savepoints()).as("savepoints after SIGTERM").isEqualTo(before);
  }

  private List<Path> savepoints() throws IOException {
    Path directory = dataDir.resolve("savepoints");
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (var entries = Files.list(directory)) {
      return entries.sorted().toList();
    }
  }

  // ---- the cluster, as the operator starts it ----

  @SuppressWarnings("unchecked")
  private void startCluster(String name, Map<String, String> operatorSettings) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    flinkConfiguration().forEach((key, value) -> {
      if (!key.startsWith("high-availability")) { // Kubernetes HA needs Kubernetes
        settings.put(key, String.valueOf(value).replace("file:///flink-data", dataDir.toUri().toString().replaceAll("/$", "")));
      }
    });
    settings.put("parallelism.default", String.valueOf(parallelism));
    settings.put("$internal.application.main", (String) job().get("entryClass"));
    settings.put("$internal.application.program-args", String.join(";", (List<String>) job().get("args")));
    settings.put("pipeline.jars", flinkHome.resolve("usrlib/sensor-pipeline.jar").toUri().toString());
    settings.put("metrics.reporter.cloudflow.port", taskManagerMetricsPorts + "-" + (taskManagerMetricsPorts + 9));
    settings.put("metrics.reporter.cloudflow.host", "127.0.0.1");
    settings.putAll(operatorSettings);
    cluster = new FlinkClusterProcesses(workDir.resolve("cluster-" + name), settings);
    Map<String, String> environment = new LinkedHashMap<>(podEnvironment);
    environment.put("SPRING_KAFKA_BOOTSTRAPSERVERS", broker.bootstrapServers());
    cluster.startApplication(flinkHome, Map.of("metrics.reporter.cloudflow.port", String.valueOf(jobManagerMetricsPort)),
        environment, 2, Duration.ofSeconds(120));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> job() {
    return (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("job");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> flinkConfiguration() {
    return (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("flinkConfiguration");
  }

  // ---- the job manager's view ----

  /** Finds the running job (an application cluster runs one) and waits for all its tasks. */
  private void awaitAllVerticesRunning(Duration timeout) throws Exception {
    ItSupport.awaitTrue(timeout, () -> {
      try {
        List<String> ids = JsonPath.read(cluster.get("/jobs/overview"), "$.jobs[?(@.state == 'RUNNING')].jid");
        jobId = ids.isEmpty() ? null : ids.get(0);
        return jobId != null;
      } catch (IOException notUpYet) {
        return false;
      }
    }, () -> "a RUNNING job\n" + cluster.logTail("jobmanager", 80), 200);
    cluster.awaitAllVerticesRunning(jobId, timeout);
  }

  private void awaitCompletedCheckpoint(Duration timeout) throws Exception {
    long before = completedCheckpoints();
    ItSupport.awaitTrue(timeout, () -> completedCheckpoints() > before, () -> "a completed checkpoint", 500);
  }

  private long completedCheckpoints() {
    try {
      return cluster.completedCheckpoints(jobId);
    } catch (IOException e) {
      return -1;
    }
  }

  /** Stops the job with a savepoint as the operator's savepoint upgrade does (REST); its path. */
  private String stopWithSavepoint() throws Exception {
    String body = "{\"drain\": false, \"targetDirectory\": \"" + dataDir.resolve("savepoints").toUri() + "\"}";
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(cluster.uri("/jobs/" + jobId + "/stop"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("stop: %s", response.body()).isEqualTo(202);
    String trigger = JsonPath.read(response.body(), "$.request-id");
    String[] location = {null};
    ItSupport.awaitTrue(Duration.ofSeconds(60), () -> {
      try {
        String status = cluster.get("/jobs/" + jobId + "/savepoints/" + trigger);
        if ("COMPLETED".equals(JsonPath.read(status, "$.status.id"))) {
          location[0] = JsonPath.read(status, "$.operation.location");
          return true;
        }
        return false;
      } catch (IOException stoppedAlready) {
        return false;
      }
    }, () -> "the savepoint\n" + cluster.logTail("jobmanager", 40), 200);
    assertThat(location[0]).as("savepoint location").isNotNull();
    return location[0];
  }
}
