package sensors;

import static sensors.ItSupport.get;
import static sensors.ItSupport.awaitTrue;
import static sensors.ItSupport.eventually;
import static sensors.ItSupport.freePort;
import static sensors.ItSupport.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import cloudflow.streamlets.avro.AvroCodec;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.yaml.snakeyaml.Yaml;
import sensors.data.SensorReading;

/**
 * The operations view of the packaged {@code processor} streamlet ({@code java -jar}, a real broker in its
 * own JVM, the actuator on a separate management port): its {@code /actuator/prometheus} text is checked
 * with Prometheus's own parser ({@code promtool check metrics}), every metric of the README's table is
 * there with its tags and moves when records flow (lag above 0 on a backlog, then 0), a real Prometheus
 * server ({@code /usr/bin/prometheus}) configured from {@code config/prometheus/prometheus-local.yml}
 * scrapes it and evaluates {@code alert-rules.yml}, every query of the Grafana dashboard is accepted, and
 * the actuator defaults hold (only health, info, prometheus; no health details for anonymous callers;
 * nothing of the actuator on the main port once {@code management.server.port} is set).
 *
 * <p>One app for the class (started in {@link #startEverything()}); the tests read its scrapes and
 * feed it more records. Needs {@code promtool} and {@code prometheus} (Debian: {@code apt-get install
 * prometheus}); the tests that use them are skipped without.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {

  /** Readings waiting in the inlet topic before the processor starts: the lag it must work off. */
  private static final int BACKLOG = 100_000;
  private static final int SENSORS = 10;
  private static final String IN = "obs-readings";
  private static final String OUT = "obs-summaries";
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);
  private static final AvroCodec<SensorReading> READINGS = new AvroCodec<>(SensorReading.class);
  private static final Path APP_JAR =
      Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
  private static final Path WORK = APP_JAR.getParent().resolve("observability-it");
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

  /** Metrics that carry the port tags (port, topic, subtask); the others are per job. */
  private static final Set<String> PORT_METRIC_PREFIXES = Set.of(
      "cloudflow_streamlet_records_in", "cloudflow_streamlet_bytes_in", "cloudflow_streamlet_consumer_lag",
      "cloudflow_streamlet_bad_records", "cloudflow_streamlet_watermark_lag", "cloudflow_streamlet_records_out",
      "cloudflow_streamlet_bytes_out");

  private final String application = "obs-" + UUID.randomUUID().toString().substring(0, 8);
  private final Path config = configDirectory();
  private KafkaBrokerProcess broker;
  private Process app;
  private Path appLog;
  private int serverPort;
  private int managementPort;
  private Process prometheus;
  private Path prometheusLog;

  /** Every scrape taken, in order, with the nanoTime it was taken at. */
  private final List<Scrape> scrapes = Collections.synchronizedList(new ArrayList<>());
  private long lagSamplesAboveZero;
  private double maxLag;

  @RegisterExtension
  final TestWatcher logsOnFailure = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      System.out.println("==== " + context.getDisplayName() + " failed: " + cause + "\n" + tail(appLog, 80)
          + (prometheusLog == null ? "" : "\n---- prometheus ----\n" + tail(prometheusLog, 30)));
    }
  };

  @BeforeAll
  void startEverything() throws Exception {
    quietKafkaClients();
    assertThat(APP_JAR).as("packaged jar (run mvn package first)").isRegularFile();
    Files.createDirectories(WORK);
    long started = System.nanoTime();
    broker = SharedBroker.get();
    broker.createTopic(IN, 2);
    broker.createTopic(OUT, 2);
    System.out.println("broker-start-ms=" + millisSince(started));

    long producing = System.nanoTime();
    produce(0, BACKLOG, false);
    System.out.println("produce-backlog-ms=" + millisSince(producing) + " (" + BACKLOG + " readings)");

    startApp();
    long appStarted = System.nanoTime();
    // scrape as fast as sensible while the backlog drains, to see the lag above 0 and then at 0
    awaitTrue(DRAIN_TIMEOUT, () -> {
      Scrape scrape = scrape();
      double lag = scrape.sum("cloudflow_streamlet_consumer_lag");
      if (lag > 0) {
        lagSamplesAboveZero++;
        maxLag = Math.max(maxLag, lag);
      }
      return scrape.sum("cloudflow_streamlet_records_in_total") >= BACKLOG
          && scrape.has("cloudflow_streamlet_consumer_lag") && lag == 0;
    }, () -> "the backlog of " + BACKLOG + " readings drained (records in " + last().sum("cloudflow_streamlet_records_in_total")
        + ", lag " + last().sum("cloudflow_streamlet_consumer_lag") + ")", 100);
    System.out.println("backlog-drained-ms=" + millisSince(appStarted) + " (from java -jar), max-lag=" + maxLag
        + ", lag-samples-above-0=" + lagSamplesAboveZero + ", scrapes=" + scrapes.size());
  }

  @AfterAll
  void stopEverything() {
    destroy(prometheus);
    destroy(app);
  }

  // ---------------------------------------------------------------------------------------------
  // the scrape: format, completeness, tags, movement
  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void consumerLagIsAboveZeroOnTheBacklogAndFallsToZero() {
    assertThat(maxLag).as("highest cloudflow_streamlet_consumer_lag (sum over subtasks) while %d readings drained", BACKLOG)
        .isPositive();
    Scrape drained = last();
    assertThat(drained.sum("cloudflow_streamlet_consumer_lag")).as("lag once drained").isZero();
    assertThat(drained.sum("cloudflow_streamlet_records_in_total")).as("records in once drained")
        .isGreaterThanOrEqualTo(BACKLOG);
  }

  @Test
  @Order(2)
  void metricsMoveWhenRecordsFlow() throws Exception {
    Scrape before = scrape();
    int more = 2_000;
    produce(BACKLOG, more, false);
    // bytes in follow the Kafka consumer's bytes-consumed-total, which Flink's source reads after each
    // poll: up to a poll timeout (10 s) after the records themselves when no more arrive. The per-second
    // rates are Flink MeterViews, updated every 5 s.
    Scrape after = eventually(Duration.ofSeconds(60), this::scrape,
        s -> s.sum("cloudflow_streamlet_records_in_total") >= before.sum("cloudflow_streamlet_records_in_total") + more
            && s.sum("cloudflow_streamlet_records_out_total") >= before.sum("cloudflow_streamlet_records_out_total") + more
            && s.sum("cloudflow_streamlet_bytes_in_total") > before.sum("cloudflow_streamlet_bytes_in_total")
            && s.sum("cloudflow_streamlet_bytes_out_total") > before.sum("cloudflow_streamlet_bytes_out_total")
            && s.sum("cloudflow_streamlet_records_in_per_second") > 0
            && s.sum("cloudflow_streamlet_records_out_per_second") > 0
            && s.sum("cloudflow_streamlet_checkpoints_completed_total") > before.sum("cloudflow_streamlet_checkpoints_completed_total"));
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(after.sum("cloudflow_streamlet_records_in_total") - before.sum("cloudflow_streamlet_records_in_total"))
        .as("records_in_total growth after %d more readings", more).isGreaterThanOrEqualTo(more);
    softly.assertThat(after.sum("cloudflow_streamlet_records_out_total") - before.sum("cloudflow_streamlet_records_out_total"))
        .as("records_out_total growth").isGreaterThanOrEqualTo(more);
    softly.assertThat(after.sum("cloudflow_streamlet_bytes_in_total")).as("bytes_in_total growth")
        .isGreaterThan(before.sum("cloudflow_streamlet_bytes_in_total"));
    softly.assertThat(after.sum("cloudflow_streamlet_bytes_out_total")).as("bytes_out_total growth")
        .isGreaterThan(before.sum("cloudflow_streamlet_bytes_out_total"));
    softly.assertThat(after.max("cloudflow_streamlet_job_uptime_seconds")).as("job_uptime_seconds grows")
        .isGreaterThan(before.max("cloudflow_streamlet_job_uptime_seconds"));
    softly.assertThat(after.sum("cloudflow_streamlet_checkpoints_completed_total")).as("checkpoints_completed_total grows")
        .isGreaterThan(before.sum("cloudflow_streamlet_checkpoints_completed_total"));
    softly.assertThat(after.max("cloudflow_streamlet_job_running")).as("job_running").isEqualTo(1.0);
    softly.assertThat(after.sum("cloudflow_streamlet_job_restarts_total")).as("job_restarts_total").isZero();
    // Flink counts checkpoints triggered before all tasks run (while they still deploy, longer on a busy
    // machine) as failed: "Failed to trigger checkpoint ... Not all required tasks are currently running".
    // Once records flow, none may fail.
    softly.assertThat(after.sum("cloudflow_streamlet_checkpoints_failed_total")).as("checkpoints_failed_total while records flow")
        .isEqualTo(before.sum("cloudflow_streamlet_checkpoints_failed_total"));
    softly.assertThat(after.max("cloudflow_streamlet_checkpoint_last_age_seconds")).as("checkpoint_last_age_seconds (1 s interval)")
        .isBetween(0.0, 30.0);
    softly.assertThat(after.max("cloudflow_streamlet_checkpoint_last_duration_seconds")).as("checkpoint_last_duration_seconds")
        .isBetween(0.0, 30.0);
    softly.assertThat(after.max("cloudflow_streamlet_checkpoint_last_size_bytes")).as("checkpoint_last_size_bytes (keyed state of %d sensors)", SENSORS)
        .isPositive();
    softly.assertThat(after.sum("cloudflow_streamlet_records_in_errors_total")).as("records_in_errors_total").isZero();
    softly.assertThat(after.sum("cloudflow_streamlet_records_out_errors_total")).as("records_out_errors_total").isZero();
    softly.assertThat(after.sum("cloudflow_streamlet_records_in_per_second")).as("records_in_per_second").isPositive();
    softly.assertThat(after.sum("cloudflow_streamlet_records_out_per_second")).as("records_out_per_second").isPositive();
    softly.assertAll();
  }

  @Test
  @Order(3)
  void everyDocumentedMetricIsPresentWithItsTags() throws IOException {
    Map<String, String> documented = documentedMetrics();
    assertThat(documented).as("metrics in the README's table").hasSizeGreaterThanOrEqualTo(19);
    Scrape scrape = scrape();
    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, String> metric : documented.entrySet()) {
      String name = metric.getKey();
      List<Sample> samples = scrape.samples(name);
      boolean watermark = name.equals("cloudflow_streamlet_watermark_lag_seconds");
      if (watermark && samples.isEmpty()) {
        continue; // the processor has no event time: the metric may be left out
      }
      softly.assertThat(samples).as("%s in /actuator/prometheus", name).isNotEmpty();
      softly.assertThat(scrape.types.get(name)).as("# TYPE of %s (README: %s)", name, metric.getValue())
          .isEqualTo(metric.getValue());
      boolean portMetric = PORT_METRIC_PREFIXES.stream().anyMatch(name::startsWith);
      for (Sample sample : samples) {
        softly.assertThat(sample.labels()).as("tags of %s", sample)
            .containsEntry("application", application).containsEntry("streamlet", "processor");
        if (portMetric) {
          boolean inlet = !name.startsWith("cloudflow_streamlet_records_out") && !name.startsWith("cloudflow_streamlet_bytes_out");
          softly.assertThat(sample.labels()).as("port tags of %s", sample)
              .containsEntry("port", inlet ? "in" : "out")
              .containsEntry("topic", inlet ? IN : OUT)
              .containsKey("subtask");
        } else {
          softly.assertThat(sample.labels()).as("tags of the job metric %s", sample).doesNotContainKeys("port", "topic", "subtask");
        }
        if (watermark) {
          softly.assertThat(sample.value()).as("%s of a streamlet without event time", sample).isNaN();
        }
      }
    }
    List<String> undocumented = scrape.names().stream()
        .filter(n -> n.startsWith("cloudflow_") && !documented.containsKey(n)).toList();
    softly.assertThat(undocumented).as("cloudflow_ metrics missing from the README's table").isEmpty();
    softly.assertAll();
  }

  /** Prometheus's own parser accepts the whole scrape; lint findings of other libraries' metrics are allowed. */
  @Test
  @Order(4)
  void scrapeIsValidPrometheusTextFormat() throws Exception {
    assumeTrue(Files.isExecutable(PROMTOOL), "promtool is needed (apt-get install prometheus)");
    String text = scrape().text;
    Promtool result = promtoolCheckMetrics(text);
    // promtool check metrics: exit 0 = clean, 3 = parsed but with lint findings, 1 = not parseable.
    // Boot's own JVM/Tomcat/http meters have lint findings we do not own (jvm_compilation_time_ms_total
    // "abbreviated units", system_cpu_count "_count suffix", http_server_requests_* "no help text"),
    // so the whole scrape must parse; our own families are held to the lint rules below.
    assertThat(result.exitCode).as("promtool check metrics on the whole scrape (1 = parse error):\n%s", result.output)
        .isIn(0, 3);
    assertThat(result.output).as("promtool output").doesNotContain("error while linting");
  }

  /**
   * The streamlet metrics pass promtool's lint rules: every family has HELP text (a Micrometer meter
   * description), a conventional name and unit suffix.
   */
  @Test
  @Order(5)
  void streamletMetricsPassPromtoolLint() throws Exception {
    assumeTrue(Files.isExecutable(PROMTOOL), "promtool is needed (apt-get install prometheus)");
    String ours = scrape().text.lines()
        .filter(line -> metricNameOf(line).startsWith("cloudflow_"))
        .collect(Collectors.joining("\n", "", "\n"));
    Promtool result = promtoolCheckMetrics(ours);
    assertThat(result.exitCode).as("promtool check metrics on the cloudflow_* families:\n%s", result.output).isZero();
  }

  /** Flink's "none yet" values (-1) must not leak into the gauges: before the first checkpoint they are NaN. */
  @Test
  @Order(6)
  void noStreamletMetricIsEverNegative() {
    List<String> negative = new ArrayList<>();
    synchronized (scrapes) {
      for (Scrape scrape : scrapes) {
        for (Sample sample : scrape.samples) {
          if (sample.name().startsWith("cloudflow_") && sample.value() < 0 && !negative.contains(sample.toString())) {
            negative.add(sample.toString());
          }
        }
      }
    }
    assertThat(negative).as("negative cloudflow_ samples in any of %d scrapes (from the first one on)", scrapes.size()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // actuator defaults
  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(7)
  void actuatorDefaultsExposeOnlyHealthInfoPrometheusOnTheManagementPort() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    JsonObject links = JsonParser.parseString(get(managementPort, "/actuator").body()).getAsJsonObject().getAsJsonObject("_links");
    softly.assertThat(links.keySet()).as("/actuator links on the management port")
        .containsExactlyInAnyOrder("self", "health", "health-path", "info", "prometheus");
    for (String endpoint : List.of("env", "configprops", "beans", "loggers", "heapdump", "threaddump", "metrics", "mappings", "shutdown")) {
      softly.assertThat(get(managementPort, "/actuator/" + endpoint).statusCode()).as("/actuator/%s", endpoint).isEqualTo(404);
    }
    HttpResponse<String> health = get(managementPort, "/actuator/health");
    softly.assertThat(health.statusCode()).as("/actuator/health").isEqualTo(200);
    JsonObject healthJson = JsonParser.parseString(health.body()).getAsJsonObject();
    softly.assertThat(healthJson.get("status").getAsString()).as("/actuator/health status").isEqualTo("UP");
    softly.assertThat(healthJson.keySet()).as("/actuator/health to an anonymous caller: %s", health.body())
        .doesNotContain("components", "details");
    for (String probe : List.of("/actuator/health/readiness", "/actuator/health/liveness")) {
      HttpResponse<String> response = get(managementPort, probe);
      softly.assertThat(response.statusCode()).as(probe).isEqualTo(200);
      softly.assertThat(JsonParser.parseString(response.body()).getAsJsonObject().keySet()).as("%s: %s", probe, response.body())
          .containsExactly("status");
    }
    softly.assertThat(get(managementPort, "/actuator/health/streamlets").statusCode())
        .as("a single health contributor to an anonymous caller").isEqualTo(404);
    softly.assertThat(get(managementPort, "/actuator/prometheus").statusCode()).as("/actuator/prometheus on the management port")
        .isEqualTo(200);
    for (String path : List.of("/actuator", "/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness",
        "/actuator/prometheus")) {
      softly.assertThat(get(serverPort, path).statusCode()).as("%s on the main port (management.server.port is set)", path)
          .isEqualTo(404);
    }
    softly.assertAll();
  }

  // ---------------------------------------------------------------------------------------------
  // a real Prometheus with config/prometheus, and the Grafana dashboard's queries
  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(8)
  void prometheusScrapesTheStreamletEvaluatesTheAlertsAndAnswersTheDashboardQueries() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS), "prometheus is needed (apt-get install prometheus)");
    int port = startPrometheus();

    // 1. the streamlet's records-in series, scraped through the configuration of config/prometheus
    String recordsIn = "cloudflow_streamlet_records_in_total{streamlet=\"processor\"}";
    JsonArray series = eventually(Duration.ofSeconds(60), () -> query(port, recordsIn), r -> !r.isEmpty());
    assertThat(series).as("Prometheus query %s", recordsIn).isNotEmpty();
    JsonObject first = series.get(0).getAsJsonObject();
    assertThat(first.getAsJsonObject("metric").get("application").getAsString()).isEqualTo(application);
    assertThat(first.getAsJsonObject("metric").get("job").getAsString()).as("scrape job of prometheus-local.yml").isEqualTo("streamlets");
    assertThat(Double.parseDouble(first.getAsJsonArray("value").get(1).getAsString())).as("records in, as Prometheus has it")
        .isGreaterThanOrEqualTo(BACKLOG);

    // 2. a bad record: the counter moves in Prometheus and StreamletBadRecords fires
    String badRecords = "cloudflow_streamlet_bad_records_total{streamlet=\"processor\"}";
    assertThat(eventually(Duration.ofSeconds(30), () -> query(port, badRecords), r -> !r.isEmpty()))
        .as("Prometheus has %s before the bad record", badRecords).isNotEmpty();
    Thread.sleep(2_500); // one more scrape, so increase() sees the counter before and after
    produce(BACKLOG + 10_000, 1, true);
    JsonArray bad = eventually(Duration.ofSeconds(60), () -> query(port, "sum(" + badRecords + ")"),
        r -> !r.isEmpty() && value(r.get(0)) >= 1);
    assertThat(value(bad.get(0))).as("sum(%s) after one undecodable record", badRecords).isEqualTo(1.0);
    JsonArray alerts = eventually(Duration.ofSeconds(30), () -> firingAlerts(port), a -> names(a).contains("StreamletBadRecords"));
    assertThat(names(alerts)).as("firing alerts after a bad record").contains("StreamletBadRecords")
        .doesNotContain("StreamletJobNotRunning", "StreamletMetricsDown", "StreamletCheckpointsFailing", "StreamletRestarting",
            "StreamletCheckpointTooOld", "StreamletConsumerLagGrowing", "StreamletRestartLoop");

    // 3. every rule of alert-rules.yml evaluates without error on real data
    JsonArray groups = getJson(port, "/api/v1/rules").getAsJsonObject("data").getAsJsonArray("groups");
    Map<String, String> health = new TreeMap<>();
    for (JsonElement group : groups) {
      for (JsonElement rule : group.getAsJsonObject().getAsJsonArray("rules")) {
        JsonObject r = rule.getAsJsonObject();
        health.put(r.get("name").getAsString(), r.get("health").getAsString()
            + (r.has("lastError") && !r.get("lastError").getAsString().isEmpty() ? ": " + r.get("lastError").getAsString() : ""));
      }
    }
    assertThat(health).as("rules loaded from config/prometheus/alert-rules.yml and their health")
        .containsKeys("StreamletJobNotRunning", "StreamletConsumerLagGrowing", "StreamletCheckpointsFailing",
            "StreamletCheckpointTooOld", "StreamletRestarting", "StreamletRestartLoop", "StreamletBadRecords")
        .allSatisfy((name, state) -> assertThat(state).as("health of rule %s", name).isEqualTo("ok"));

    // 4. the Grafana dashboard: every panel query and variable is accepted and the main ones have data
    JsonObject dashboard = JsonParser.parseString(
        Files.readString(config.resolve("grafana/cloudflow-streamlets.json"))).getAsJsonObject();
    Map<String, String> expressions = dashboardExpressions(dashboard);
    assertThat(expressions).as("panel queries of the dashboard").hasSizeGreaterThanOrEqualTo(10);
    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, String> panel : expressions.entrySet()) {
      String promql = grafanaToPromql(panel.getValue());
      JsonObject answer = getJson(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
      softly.assertThat(answer.get("status").getAsString()).as("query of panel '%s': %s -> %s", panel.getKey(), promql, answer)
          .isEqualTo("success");
      boolean expectData = List.of("Job running", "Job uptime", "Records in per second", "Records out per second",
          "Consumer lag", "Last checkpoint age", "Bad records").stream().anyMatch(panel.getKey()::startsWith);
      if (expectData && "success".equals(answer.get("status").getAsString())) {
        softly.assertThat(answer.getAsJsonObject("data").getAsJsonArray("result")).as("data of panel '%s': %s", panel.getKey(), promql)
            .isNotEmpty();
      }
    }
    for (String variable : List.of("application", "streamlet")) {
      String values = get(port, "/api/v1/label/" + variable + "/values?match[]="
          + URLEncoder.encode("cloudflow_streamlet_job_running", StandardCharsets.UTF_8)).body();
      softly.assertThat(values).as("values of dashboard variable %s", variable)
          .contains(variable.equals("application") ? application : "processor");
    }
    softly.assertThat(usedMetricNames(dashboard.toString())).as("cloudflow_ metrics the dashboard uses, all documented")
        .isSubsetOf(documentedMetrics().keySet());
    softly.assertThat(usedMetricNames(Files.readString(config.resolve("prometheus/alert-rules.yml"))))
        .as("cloudflow_ metrics the alert rules use, all documented").isSubsetOf(documentedMetrics().keySet());
    softly.assertAll();
  }

  // ---------------------------------------------------------------------------------------------
  // processes
  // ---------------------------------------------------------------------------------------------

  private void startApp() throws IOException {
    serverPort = freePort();
    managementPort = freePort();
    Path dir = Files.createDirectories(WORK.resolve(application));
    appLog = dir.resolve("processor.log");
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    app = new ProcessBuilder(java, "-Xmx512m", "-jar", APP_JAR.toString(),
        "--streamlet=processor",
        "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
        "--server.port=" + serverPort,
        "--management.server.port=" + managementPort,
        "--spring.application.name=" + application,
        "--cloudflow.checkpointing.directory=" + dir.resolve("checkpoints"),
        "--cloudflow.checkpointing.interval=1s",
        "--logging.level.org.apache.flink.runtime.checkpoint=INFO",
        "--cloudflow.streamlets.processor.ports.in.topic=" + IN,
        "--cloudflow.streamlets.processor.ports.out.topic=" + OUT)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(appLog.toFile())
        .start();
  }

  /**
   * Prometheus with config/prometheus/prometheus-local.yml, changed only where a test must: the
   * streamlets job's target is this app's management port, the flink job (no cluster here) is left
   * out, rule files are absolute paths, and scrapes and rule evaluations happen every 2 s.
   */
  @SuppressWarnings("unchecked")
  private int startPrometheus() throws Exception {
    Path dir = Files.createDirectories(WORK.resolve(application + "-prometheus"));
    Map<String, Object> yaml = new Yaml().load(Files.readString(config.resolve("prometheus/prometheus-local.yml")));
    Map<String, Object> global = (Map<String, Object>) yaml.computeIfAbsent("global", k -> new LinkedHashMap<>());
    global.put("scrape_interval", "2s");
    global.put("evaluation_interval", "2s");
    List<String> ruleFiles = (List<String>) yaml.getOrDefault("rule_files", List.of());
    assertThat(ruleFiles).as("rule_files of prometheus-local.yml").contains("alert-rules.yml");
    yaml.put("rule_files", ruleFiles.stream().map(f -> config.resolve("prometheus").resolve(f).toString()).toList());
    List<Map<String, Object>> jobs = (List<Map<String, Object>>) yaml.get("scrape_configs");
    Map<String, Object> streamlets = jobs.stream().filter(j -> "streamlets".equals(j.get("job_name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no scrape job 'streamlets' in prometheus-local.yml"));
    assertThat(streamlets.get("metrics_path")).as("metrics_path of the streamlets job").isEqualTo("/actuator/prometheus");
    streamlets.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + managementPort),
        "labels", Map.of("streamlet", "processor"))));
    yaml.put("scrape_configs", List.of(streamlets));
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, new Yaml().dump(yaml));
    int port = freePort();
    prometheusLog = dir.resolve("prometheus.log");
    prometheus = new ProcessBuilder(PROMETHEUS.toString(),
        "--config.file=" + file,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(prometheusLog.toFile())
        .start();
    awaitTrue(Duration.ofSeconds(30), () -> {
      if (!prometheus.isAlive()) {
        fail("prometheus exited with %d:\n%s", prometheus.exitValue(), tail(prometheusLog, 30));
      }
      try {
        return get(port, "/-/ready").statusCode() == 200;
      } catch (IOException notYet) {
        return false;
      }
    }, () -> "prometheus ready on " + port, 200);
    return port;
  }

  private record Promtool(int exitCode, String output) {}

  private static Promtool promtoolCheckMetrics(String text) throws Exception {
    Process process = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    return new Promtool(process.exitValue(), output);
  }

  // ---------------------------------------------------------------------------------------------
  // Kafka
  // ---------------------------------------------------------------------------------------------

  private void produce(int from, int count, boolean undecodable) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = from; i < from + count; i++) {
        String sensor = "sensor-" + (i % SENSORS);
        byte[] value = undecodable
            ? new byte[] {(byte) 0xff, 1, 2}
            : READINGS.encode(new SensorReading(sensor, System.currentTimeMillis(), 10.0 + i % 17));
        producer.send(new ProducerRecord<>(IN, sensor.getBytes(StandardCharsets.UTF_8), value));
      }
      producer.flush();
    }
  }

  private static void quietKafkaClients() {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
      logback.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // scrapes
  // ---------------------------------------------------------------------------------------------

  private record Sample(String name, Map<String, String> labels, double value) {
    @Override
    public String toString() {
      return name + labels + " " + value;
    }
  }

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One /actuator/prometheus answer, parsed (only what these tests need; promtool does the real parsing). */
  private static final class Scrape {
    final String text;
    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new TreeMap<>();

    Scrape(String text) {
      this.text = text;
      for (String line : text.split("\n")) {
        if (line.startsWith("# TYPE ")) {
          String[] parts = line.split(" ");
          types.put(parts[2], parts[3]);
        } else if (!line.isBlank() && !line.startsWith("#")) {
          Matcher m = SAMPLE.matcher(line.trim());
          if (m.matches()) {
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
              Matcher l = LABEL.matcher(m.group(2));
              while (l.find()) {
                labels.put(l.group(1), l.group(2));
              }
            }
            samples.add(new Sample(m.group(1), labels, parseValue(m.group(3))));
          }
        }
      }
    }

    static double parseValue(String value) {
      return switch (value) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(value);
      };
    }

    List<Sample> samples(String name) {
      return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    boolean has(String name) {
      return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    Set<String> names() {
      return samples.stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Sum over the processor's samples of a metric, NaN counted as 0. */
    double sum(String name) {
      return samples(name).stream().filter(s -> "processor".equals(s.labels().get("streamlet")))
          .mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).sum();
    }

    double max(String name) {
      return samples(name).stream().filter(s -> "processor".equals(s.labels().get("streamlet")))
          .mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }
  }

  private Scrape scrape() {
    String text;
    try {
      HttpResponse<String> response = get(managementPort, "/actuator/prometheus");
      text = response.statusCode() == 200 ? response.body() : "";
    } catch (IOException notYet) {
      text = "";
    }
    if (text.isEmpty() && app != null && !app.isAlive()) {
      fail("the app exited with %d:\n%s", app.exitValue(), tail(appLog, 60));
    }
    Scrape scrape = new Scrape(text);
    if (!text.isEmpty()) {
      scrapes.add(scrape);
    }
    return scrape;
  }

  private Scrape last() {
    synchronized (scrapes) {
      return scrapes.isEmpty() ? new Scrape("") : scrapes.get(scrapes.size() - 1);
    }
  }

  /** The metric name of an exposition line: a sample's name, or the name a # HELP / # TYPE line is about. */
  private static String metricNameOf(String line) {
    if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
      String[] parts = line.split(" ");
      return parts.length > 2 ? parts[2] : "";
    }
    if (line.startsWith("#") || line.isBlank()) {
      return "";
    }
    int end = 0;
    while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
      end++;
    }
    return line.substring(0, end);
  }

  // ---------------------------------------------------------------------------------------------
  // README, dashboard, Prometheus API
  // ---------------------------------------------------------------------------------------------

  /** Name → type (counter/gauge) of every row of the README's "Health and metrics" table. */
  private Map<String, String> documentedMetrics() throws IOException {
    String readme = Files.readString(config.getParent().resolve("README.md"));
    Matcher row = Pattern.compile("(?m)^\\| `(cloudflow_[a-z_]+)` \\| (counter|gauge) \\|").matcher(readme);
    Map<String, String> metrics = new TreeMap<>();
    while (row.find()) {
      metrics.put(row.group(1), row.group(2));
    }
    return metrics;
  }

  private static Set<String> usedMetricNames(String text) {
    Matcher m = Pattern.compile("cloudflow_streamlet_[a-z_]+").matcher(text);
    Set<String> names = new TreeSet<>();
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  /** Panel title (with the target's refId) → query expression, over every panel of the dashboard. */
  private static Map<String, String> dashboardExpressions(JsonObject dashboard) {
    Map<String, String> expressions = new LinkedHashMap<>();
    for (JsonElement element : dashboard.getAsJsonArray("panels")) {
      JsonObject panel = element.getAsJsonObject();
      if (!panel.has("targets")) {
        continue;
      }
      for (JsonElement target : panel.getAsJsonArray("targets")) {
        JsonObject t = target.getAsJsonObject();
        expressions.put(panel.get("title").getAsString() + " [" + t.get("refId").getAsString() + "]", t.get("expr").getAsString());
      }
    }
    return expressions;
  }

  /** Grafana's variables in a query, replaced the way Grafana would with "All" selected. */
  private static String grafanaToPromql(String expression) {
    return expression
        .replace("$__rate_interval", "30s")
        .replace("$__range", "5m")
        .replace("${application}", ".*").replace("$application", ".*")
        .replace("${streamlet}", ".*").replace("$streamlet", ".*");
  }

  private JsonArray query(int port, String promql) {
    try {
      JsonObject answer = getJson(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
      return answer.getAsJsonObject("data").getAsJsonArray("result");
    } catch (IOException e) {
      return new JsonArray();
    }
  }

  private JsonArray firingAlerts(int port) {
    try {
      JsonArray all = getJson(port, "/api/v1/alerts").getAsJsonObject("data").getAsJsonArray("alerts");
      JsonArray firing = new JsonArray();
      all.forEach(a -> {
        if ("firing".equals(a.getAsJsonObject().get("state").getAsString())) {
          firing.add(a);
        }
      });
      return firing;
    } catch (IOException e) {
      return new JsonArray();
    }
  }

  private static Set<String> names(JsonArray alerts) {
    Set<String> names = new LinkedHashSet<>();
    alerts.forEach(a -> names.add(a.getAsJsonObject().getAsJsonObject("labels").get("alertname").getAsString()));
    return names;
  }

  private static double value(JsonElement result) {
    return Double.parseDouble(result.getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
  }

  private JsonObject getJson(int port, String path) throws IOException {
    return JsonParser.parseString(get(port, path).body()).getAsJsonObject();
  }

  // ---------------------------------------------------------------------------------------------
  // helpers
  // ---------------------------------------------------------------------------------------------

  private static Path configDirectory() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("config/prometheus"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no config/prometheus above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("config");
  }

  private static void destroy(Process process) {
    if (process != null && process.isAlive()) {
      process.destroy();
      ItSupport.awaitExit(process);
    }
  }

  private static String tail(Path file, int lines) {
    try {
      if (file == null || !Files.exists(file)) {
        return "(no log)";
      }
      List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return "---- tail of " + file + " ----\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

}
