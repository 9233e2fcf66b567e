package sensors;

import static sensors.ItSupport.eventually;
import static sensors.ItSupport.millisSince;
import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import cloudflow.streamlets.avro.AvroCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * Delivery guarantees and recovery of the packaged {@code processor} streamlet, run as real
 * {@code java -jar} processes against a real Kafka broker in its own JVM ({@link KafkaBrokerProcess},
 * shared by the class; every test has its own topics, application name and checkpoint directory).
 *
 * <p>The processor emits one {@link SensorSummary} per reading with a per-sensor {@code count} kept in
 * checkpointed keyed state, so the output tells whether every input was processed (the counts of a
 * sensor cover 1..n), whether state survived a restart (no count sequence starts again at 1, the final
 * count equals the inputs) and whether anything was delivered twice (repeated (sensor, count) pairs).
 *
 * <p>Measured numbers are printed to standard output ({@code target/failsafe-reports/sensors.RecoveryIT-output.txt})
 * and appended to {@code target/recovery-it/measurements.txt}.
 */
class RecoveryIT {

  private static final int SENSORS = 10;
  private static final int N = 100_000;
  private static final int BAD_RECORDS_GOOD_COUNT = 1_000;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(120);
  private static final AvroCodec<SensorReading> READINGS = new AvroCodec<>(SensorReading.class);

  private static final Path APP_JAR = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
  private static final Path WORK = APP_JAR.getParent().resolve("recovery-it");

  private static KafkaBrokerProcess broker;

  /** Every process and consumer a test started, closed after it (also when it failed). */
  private final List<App> apps = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

  @RegisterExtension
  final TestWatcher logsOnFailure = AppProcess.logsOnFailure(apps, 120, () -> new KafkaBrokerProcess[] {broker}, 40);

  @BeforeAll
  static void startBroker() throws IOException {
    // this module has no logback-test.xml: keep the test's own Kafka clients from logging every config
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
      logback.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.WARN);
    }
    assertThat(APP_JAR).as("packaged jar (run mvn package first)").isRegularFile();
    Files.createDirectories(WORK);
    measure("# RecoveryIT run", java.time.Instant.now());
    long started = System.nanoTime();
    // a broker of its own, not SharedBroker: jobRecoversFromABrokerRestart stops and restarts it
    broker = new KafkaBrokerProcess(WORK.resolve("broker")).withPartitions(2).start();
    measure("broker-start-ms", millisSince(started));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void destroyEverything() {
    for (App app : apps) {
      app.destroy();
    }
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        System.out.println("closing " + closeable + ": " + e);
      }
    }
    if (broker != null && !broker.isRunning()) {
      broker.start(); // a test that stopped the broker and failed before restarting it
    }
  }

  // ---------------------------------------------------------------------------------------------
  // a, b, c: kill -9 (at-least-once, exactly-once) and SIGTERM (at-least-once) in the middle of a stream
  // ---------------------------------------------------------------------------------------------

  @Test
  void atLeastOnceKillResumesFromTheCheckpointAndLosesNothing(TestInfo info) throws Exception {
    Scenario run = interruptMidStream(info, "alo", Interruption.KILL);

    Map<String, List<Long>> counts = run.countsBySensor();
    assertCoversAllInputs(counts, run.inputsPerSensor());
    assertNoCountSequenceRestarted(counts);
    int duplicates = run.summaries.size() - N;
    measure("alo-duplicates", duplicates);
    // a replay from the checkpoint taken after the first half duplicates at most what the killed
    // process wrote after it; a restart from scratch would duplicate everything written before the kill
    assertThat(duplicates).as("duplicates of a replay from the last checkpoint").isBetween(0, run.outputAtInterruption - N / 2);
  }

  @Test
  void exactlyOnceKillDeliversEveryRecordOnce(TestInfo info) throws Exception {
    Scenario run = interruptMidStream(info, "eo", Interruption.KILL, "--cloudflow.delivery-guarantee=exactly-once");

    assertThat(run.summaries.size()).as("committed summaries (read_committed) after a kill -9 with exactly-once").isEqualTo(N);
    Map<String, List<Long>> counts = run.countsBySensor();
    assertNoDuplicates(counts);
    assertCoversAllInputs(counts, run.inputsPerSensor());
  }

  @Test
  void gracefulStopWithSavepointResumesWithoutDuplicates(TestInfo info) throws Exception {
    Scenario run = interruptMidStream(info, "graceful", Interruption.SIGTERM);

    assertThat(run.summaries.size()).as("summaries after SIGTERM (savepoint) and restart, at-least-once").isEqualTo(N);
    Map<String, List<Long>> counts = run.countsBySensor();
    assertNoDuplicates(counts);
    assertCoversAllInputs(counts, run.inputsPerSensor());
    assertThat(run.first.log()).as("log of the stopped process").contains("stopped with savepoint");
    assertThat(run.second.log()).as("log of the restarted process").containsPattern("resumes from \\S*savepoint-");
  }

  private enum Interruption { KILL, SIGTERM }

  /**
   * Half of the readings are waiting before the processor starts (a backlog whose throughput is
   * measured); once they are all out and a checkpoint holds them, the other half is produced in the
   * background, and the process is interrupted once some of them have been processed. It is started
   * again and the test waits until every reading has its summary.
   */
  private Scenario interruptMidStream(TestInfo info, String label, Interruption interruption, String... args) throws Exception {
    boolean exactlyOnce = List.of(args).contains("--cloudflow.delivery-guarantee=exactly-once");
    Scenario run = new Scenario(info, label);
    Collector committed = run.collectSummaries(true);
    // progress as soon as records are written, also inside open transactions: when to interrupt
    Collector progress = exactlyOnce ? run.collectSummaries(false) : committed;

    long produced = System.nanoTime();
    run.produce(0, N / 2, 0);
    measure(label + "-produce-backlog-ms", millisSince(produced));

    run.first = run.app(args);
    run.first.start();
    measure(label + "-ready-ms", run.first.awaitReady(READY_TIMEOUT));

    committed.awaitSize(N / 2, CATCH_UP_TIMEOUT, run.first);
    // from the first summary written (visible uncommitted) to the last of the backlog visible to a
    // read_committed consumer: for exactly-once this includes waiting for the transaction commit
    long firstOutput = progress.receivedNanos(0);
    long backlogNanos = committed.receivedNanos(N / 2 - 1) - firstOutput;
    measure(label + "-records-per-s", perSecond(N / 2, backlogNanos));
    run.awaitCheckpointAfterNow(Duration.ofSeconds(30));

    Thread producer = run.produceInBackground(N / 2, N / 2, 25_000);
    progress.awaitSize(N / 2 + N / 20, CATCH_UP_TIMEOUT, run.first);

    long interrupted = System.nanoTime();
    if (interruption == Interruption.KILL) {
      run.first.kill();
    } else {
      run.first.terminate();
      boolean exited = run.first.process.waitFor(30, TimeUnit.SECONDS);
      measure(label + "-sigterm-exit-ms", millisSince(interrupted));
      assertThat(exited).as("exited within 30 s after SIGTERM").isTrue();
      assertThat(run.first.process.exitValue()).as("exit code after SIGTERM").isEqualTo(143);
    }
    committed.awaitEnd(CATCH_UP_TIMEOUT); // whatever the old process wrote has reached the collector
    run.outputAtInterruption = committed.size();
    List<String> leftByFirst = ItSupport.leftInTempDirectory(run.tmp());
    if (interruption == Interruption.SIGTERM) {
      assertThat(leftByFirst).as("left in java.io.tmpdir after SIGTERM").isEmpty();
    }
    measure(label + "-progress-at-interruption", progress.size());

    run.second = run.app(args);
    run.second.start();
    committed.awaitSize(run.outputAtInterruption + 1, CATCH_UP_TIMEOUT, run.second);
    measure(label + "-" + (interruption == Interruption.KILL ? "kill" : "sigterm") + "-to-processing-ms",
        TimeUnit.NANOSECONDS.toMillis(committed.receivedNanos(run.outputAtInterruption) - interrupted));
    measure(label + "-restart-ready-ms", run.second.awaitReady(READY_TIMEOUT));
    measure(label + "-temp-files-left-by-first", leftByFirst.size());
    // after a kill -9 the first process's directory (its minicluster_*, spill files, checkpoints) is deleted by
    // the second; what stays is Spring Boot's empty Tomcat document root of each killed process (no setting moves it)
    assertThat(ItSupport.leftInTempDirectory(run.tmp(), run.second.process.pid()))
        .as("left in java.io.tmpdir by the first process once the second runs")
        .allSatisfy(left -> assertThat(left).matches("tomcat-docbase\\.\\d+\\.\\d+"));

    producer.join(TimeUnit.SECONDS.toMillis(60));
    run.assertAllSent(N);
    if (exactlyOnce || interruption == Interruption.SIGTERM) {
      committed.awaitSize(N, CATCH_UP_TIMEOUT, run.second);
    } else {
      committed.awaitDistinct(N, CATCH_UP_TIMEOUT, run.second);
    }
    long lastOutput = committed.receivedNanos(committed.size() - 1);
    measure(label + "-run-records-per-s", perSecond(N, lastOutput - firstOutput));
    committed.awaitQuiet(Duration.ofSeconds(3)); // duplicates, if any, would show up by now
    run.summaries = committed.snapshot();
    assertThat(run.second.log()).as("log of the restarted process").contains("resumes from");
    assertThat(run.second.process.isAlive()).as("restarted app alive").isTrue();
    return run;
  }

  // ---------------------------------------------------------------------------------------------
  // d: bad records
  // ---------------------------------------------------------------------------------------------

  @Test
  void skippedBadRecordsAreCountedAndTheRestArrives(TestInfo info) throws Exception {
    Scenario run = new Scenario(info, "skip");
    Collector out = run.collectSummaries(true);
    run.first = run.app("--cloudflow.streamlets.processor.ports.in.bad-records=skip");
    run.first.start();
    run.first.awaitReady(READY_TIMEOUT);

    List<RecordMetadata> bad = run.produceWithBadRecords();
    out.awaitDistinct(BAD_RECORDS_GOOD_COUNT, CATCH_UP_TIMEOUT, run.first);
    out.awaitQuiet(Duration.ofSeconds(2));

    Map<String, List<Long>> counts = countsBySensor(out.snapshot());
    assertNoDuplicates(counts);
    assertCoversAllInputs(counts, run.inputsPerSensor());
    assertThat(run.first.process.isAlive()).as("app still running").isTrue();
    assertThat(run.first.get("/actuator/health/readiness").body()).as("readiness").contains("\"status\":\"UP\"");
    assertThat(run.first.get("/actuator/health/liveness").body()).as("liveness").contains("\"status\":\"UP\"");
    for (RecordMetadata record : bad) {
      assertThat(run.first.log()).contains("Skipped bad record at " + where(record));
    }
    String scrape = eventually(Duration.ofSeconds(20), run.first::scrape,
        s -> badRecordsMetric(s) == bad.size());
    scrape.lines().filter(l -> l.startsWith("cloudflow_streamlet_bad_records_total{"))
        .forEach(l -> measure("skip-bad-records-metric", l));
    assertThat(badRecordsMetric(scrape))
        .as("cloudflow_streamlet_bad_records_total{streamlet=\"processor\",port=\"in\"} in /actuator/prometheus:\n%s",
            cloudflowLines(scrape))
        .isEqualTo(bad.size());
  }

  @Test
  void deadLetteredBadRecordsKeepTheirBytesAndSayWhy(TestInfo info) throws Exception {
    Scenario run = new Scenario(info, "dead-letter");
    Collector out = run.collectSummaries(true);
    Collector deadLetters = run.collect(run.in + ".dead-letter", true, record -> null);
    run.first = run.app("--cloudflow.streamlets.processor.ports.in.bad-records=dead-letter");
    run.first.start();
    run.first.awaitReady(READY_TIMEOUT);
    // Checked softly so that the dead letters themselves are still verified (this broker auto-creates
    // topics, which hides a missing topic): the application creates the topics it writes at startup, as
    // it does for its port topics. Brokers often run with auto.create.topics.enable=false; there the
    // first bad record blocks the source for max.block.ms (60 s) and then fails the job.
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(topics())
        .as("topics once the processor is ready: its dead-letter topic must have been created like its port topics")
        .contains(run.in, run.out, run.in + ".dead-letter");

    List<RecordMetadata> bad = run.produceWithBadRecords();
    out.awaitDistinct(BAD_RECORDS_GOOD_COUNT, CATCH_UP_TIMEOUT, run.first);
    deadLetters.awaitSize(bad.size(), Duration.ofSeconds(30), run.first);
    out.awaitQuiet(Duration.ofSeconds(2));

    Map<String, List<Long>> counts = countsBySensor(out.snapshot());
    assertNoDuplicates(counts);
    assertCoversAllInputs(counts, run.inputsPerSensor());
    assertThat(run.first.process.isAlive()).as("app still running").isTrue();

    List<ConsumerRecord<byte[], byte[]>> dead = deadLetters.snapshot().stream().map(Received::record).toList();
    assertThat(dead).as("records in %s.dead-letter", run.in).hasSize(bad.size());
    Map<String, RecordMetadata> badByWhere = bad.stream().collect(Collectors.toMap(RecoveryIT::where, m -> m));
    for (ConsumerRecord<byte[], byte[]> record : dead) {
      String sourceTopic = header(record, "cloudflow.source.topic");
      String sourcePartition = header(record, "cloudflow.source.partition");
      String sourceOffset = header(record, "cloudflow.source.offset");
      assertThat(sourceTopic).as("cloudflow.source.topic").isEqualTo(run.in);
      String where = sourceTopic + "-" + sourcePartition + "@" + sourceOffset;
      assertThat(badByWhere).as("dead letter from %s", where).containsKey(where);
      assertThat(record.value()).as("bytes of the dead letter from %s", where).isEqualTo(run.badBytes.get(where));
      assertThat(header(record, "cloudflow.error")).as("cloudflow.error of %s", where).isNotBlank();
    }
    String scrape = eventually(Duration.ofSeconds(20), run.first::scrape, s -> badRecordsMetric(s) == bad.size());
    assertThat(badRecordsMetric(scrape))
        .as("cloudflow_streamlet_bad_records_total{streamlet=\"processor\",port=\"in\"} in /actuator/prometheus:\n%s",
            cloudflowLines(scrape))
        .isEqualTo(bad.size());
    softly.assertAll();
  }

  @Test
  void failPolicyFailsTheJobAndDoesNotSkipTheBadRecord(TestInfo info) throws Exception {
    Scenario run = new Scenario(info, "fail");
    Collector out = run.collectSummaries(true);
    // a short bounded restart strategy, so the job fails for good within seconds (the default backs off for minutes)
    run.first = run.app("--cloudflow.streamlets.processor.ports.in.bad-records=fail",
        "--cloudflow.flink.restart-strategy.type=fixed-delay",
        "--cloudflow.flink.restart-strategy.fixed-delay.attempts=2",
        "--cloudflow.flink.restart-strategy.fixed-delay.delay=1 s");
    run.first.start();
    run.first.awaitReady(READY_TIMEOUT);

    RecordMetadata bad = run.produceWithOneBadRecord();
    long produced = System.nanoTime();
    String failure = "Bad record at " + where(bad);
    awaitTrue(Duration.ofSeconds(60), () -> run.first.log().contains(failure),
        () -> "the log names the bad record: '" + failure + "'");
    measure("fail-bad-record-to-log-ms", millisSince(produced));
    awaitTrue(Duration.ofSeconds(60), () -> run.first.body("/actuator/health/liveness").contains("\"status\":\"DOWN\""),
        () -> "liveness DOWN after the restart strategy gave up; liveness: " + run.first.body("/actuator/health/liveness"));
    measure("fail-bad-record-to-liveness-down-ms", millisSince(produced));
    assertThat(run.first.body("/actuator/health/readiness")).as("readiness").contains("\"status\":\"DOWN\"");
    out.awaitQuiet(Duration.ofSeconds(2));

    // the readings behind the bad record in its partition were never processed
    Map<String, List<Long>> counts = countsBySensor(out.snapshot());
    Map<String, Integer> before = run.goodBefore(bad);
    for (Map.Entry<String, Integer> sensor : before.entrySet()) {
      long max = counts.getOrDefault(sensor.getKey(), List.of()).stream().mapToLong(Long::longValue).max().orElse(0);
      assertThat(max).as("highest count of %s (partition %d of the bad record): no reading after the bad record at "
              + "offset %d may be processed (%d readings of it were before the bad one, %d in all)",
          sensor.getKey(), bad.partition(), bad.offset(), sensor.getValue(), run.inputsPerSensor().get(sensor.getKey()))
          .isLessThanOrEqualTo(sensor.getValue());
    }
    assertThat(run.first.log()).as("log").doesNotContain("Skipped bad record").doesNotContain("Dead-lettered bad record");
  }

  // ---------------------------------------------------------------------------------------------
  // e: broker restart
  // ---------------------------------------------------------------------------------------------

  @Test
  void jobRecoversFromABrokerRestart(TestInfo info) throws Exception {
    int total = 30_000;
    Scenario run = new Scenario(info, "broker-restart");
    Collector out = run.collectSummaries(true);
    run.first = run.app();
    run.first.start();
    run.first.awaitReady(READY_TIMEOUT);

    Thread producer = run.produceInBackground(0, total, 5_000);
    out.awaitSize(5_000, CATCH_UP_TIMEOUT, run.first);
    AtomicReference<String> readinessDuringOutage = new AtomicReference<>("UP");
    long stopping = System.nanoTime();
    broker.stop();
    measure("broker-sigterm-stop-ms", millisSince(stopping));
    long outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < outageEnds) {
      if (!run.first.body("/actuator/health/readiness").contains("\"status\":\"UP\"")) {
        readinessDuringOutage.set("DOWN");
      }
      Thread.sleep(250);
    }
    int beforeRestart = out.size();
    long restarting = System.nanoTime();
    broker.restart();
    measure("broker-restart-ms", millisSince(restarting));
    measure("broker-outage-readiness", readinessDuringOutage.get());
    out.awaitSize(beforeRestart + 1, CATCH_UP_TIMEOUT, run.first);
    measure("broker-restart-to-processing-ms", TimeUnit.NANOSECONDS.toMillis(out.receivedNanos(beforeRestart) - restarting));
    producer.join(TimeUnit.SECONDS.toMillis(120));
    run.assertAllSent(total);
    out.awaitDistinct(total, CATCH_UP_TIMEOUT, run.first);
    run.first.awaitReady(Duration.ofSeconds(60));
    out.awaitQuiet(Duration.ofSeconds(2));

    Map<String, List<Long>> counts = countsBySensor(out.snapshot());
    assertCoversAllInputs(counts, run.inputsPerSensor());
    assertNoCountSequenceRestarted(counts);
    measure("broker-restart-duplicates", out.size() - total);
    assertThat(run.first.process.isAlive()).as("app alive").isTrue();
    assertThat(run.first.body("/actuator/health/liveness")).as("liveness").contains("\"status\":\"UP\"");
  }

  // ---------------------------------------------------------------------------------------------
  // assertions
  // ---------------------------------------------------------------------------------------------

  /** Every reading has a summary: the counts of each sensor are exactly 1..n, and the last is n. */
  private static void assertCoversAllInputs(Map<String, List<Long>> counts, Map<String, Integer> inputs) {
    assertThat(counts.keySet()).as("sensors in the output").containsExactlyInAnyOrderElementsOf(inputs.keySet());
    for (Map.Entry<String, Integer> sensor : inputs.entrySet()) {
      List<Long> seen = counts.get(sensor.getKey());
      Set<Long> distinct = new HashSet<>(seen);
      int n = sensor.getValue();
      List<Long> missing = LongStream.rangeClosed(1, n).filter(c -> !distinct.contains(c)).limit(20).boxed().toList();
      assertThat(missing).as("counts of %s missing from 1..%d (first 20)", sensor.getKey(), n).isEmpty();
      long max = seen.stream().mapToLong(Long::longValue).max().orElse(0);
      assertThat(max).as("final count of %s (state continued from the checkpoint) == its readings", sensor.getKey()).isEqualTo(n);
    }
  }

  /** Each sensor's count 1 appears once: its state was restored, not started again from nothing. */
  private static void assertNoCountSequenceRestarted(Map<String, List<Long>> counts) {
    counts.forEach((sensor, seen) -> assertThat(seen.stream().filter(c -> c == 1).count())
        .as("summaries of %s with count 1 (another one means its state was lost)", sensor).isEqualTo(1));
  }

  private static void assertNoDuplicates(Map<String, List<Long>> counts) {
    counts.forEach((sensor, seen) -> {
      Map<Long, Long> frequency = seen.stream().collect(Collectors.groupingBy(c -> c, TreeMap::new, Collectors.counting()));
      List<Long> repeated = frequency.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).limit(20).toList();
      assertThat(repeated).as("counts of %s delivered more than once (first 20)", sensor).isEmpty();
    });
  }

  private static Map<String, List<Long>> countsBySensor(List<Received> summaries) {
    Map<String, List<Long>> counts = new TreeMap<>();
    for (Received received : summaries) {
      SensorSummary summary = received.summary();
      counts.computeIfAbsent(summary.getSensorId(), k -> new ArrayList<>()).add(summary.getCount());
    }
    return counts;
  }

  /** Sum over subtasks of the processor's bad-record counter of port {@code in}; -1 when there is none. */
  private static double badRecordsMetric(String scrape) {
    List<String> lines = scrape.lines()
        .filter(l -> l.startsWith("cloudflow_streamlet_bad_records_total{"))
        .filter(l -> l.contains("streamlet=\"processor\"") && l.contains("port=\"in\""))
        .toList();
    return lines.isEmpty() ? -1 : lines.stream().mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static Set<String> topics() throws Exception {
    try (Admin admin = Admin.create(broker.adminProperties())) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
  }

  private static String cloudflowLines(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("cloudflow_")).collect(Collectors.joining("\n"));
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String where(RecordMetadata metadata) {
    return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
  }

  // ---------------------------------------------------------------------------------------------
  // one test's topics, processes, inputs and outputs
  // ---------------------------------------------------------------------------------------------

  private final class Scenario {
    final String label;
    final Path dir;
    final String name;
    final String in;
    final String out;
    final Map<String, Integer> sent = new ConcurrentHashMap<>();
    final Map<String, byte[]> badBytes = new ConcurrentHashMap<>();
    final List<Throwable> sendFailures = new CopyOnWriteArrayList<>();
    /** Partition, offset and sensor of every good reading sent. */
    final List<SentReading> goods = new CopyOnWriteArrayList<>();
    App first;
    App second;
    int outputAtInterruption;
    List<Received> summaries = List.of();

    Scenario(TestInfo info, String label) throws IOException {
      this.label = label;
      String suffix = UUID.randomUUID().toString().substring(0, 8);
      this.name = "recovery-" + label + "-" + suffix;
      this.dir = Files.createDirectories(WORK.resolve(label + "-" + suffix));
      this.in = name + "-readings";
      this.out = name + "-summaries";
      broker.createTopic(in, 2);
      broker.createTopic(out, 2);
    }

    App app(String... args) throws IOException {
      App app = new App(this, apps.stream().filter(a -> a.scenario == this).count() + 1, List.of(args));
      apps.add(app);
      return app;
    }

    Collector collectSummaries(boolean readCommitted) {
      return collect(out, readCommitted, record -> {
        SensorSummary summary = Collector.decodeSummary(record.value());
        return summary.getSensorId() + "#" + summary.getCount();
      });
    }

    Collector collect(String topic, boolean readCommitted, Function<ConsumerRecord<byte[], byte[]>, String> identity) {
      Collector collector = new Collector(topic, readCommitted, identity);
      closeables.add(collector);
      return collector;
    }

    Map<String, List<Long>> countsBySensor() {
      return RecoveryIT.countsBySensor(summaries);
    }

    Map<String, Integer> inputsPerSensor() {
      return new TreeMap<>(sent);
    }

    KafkaProducer<byte[], byte[]> producer() {
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
      props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
      return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends readings {@code from..from+count-1} round-robin over the sensors, at most {@code perSecond} a second (0: no limit). */
    void produce(int from, int count, int perSecond) throws InterruptedException {
      long started = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        for (int i = from; i < from + count; i++) {
          sendReading(producer, i);
          int done = i - from + 1;
          if (perSecond > 0 && done % 500 == 0) {
            long due = started + TimeUnit.SECONDS.toNanos(done) / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
          }
        }
        producer.flush();
      }
    }

    Thread produceInBackground(int from, int count, int perSecond) {
      Thread thread = new Thread(() -> {
        try {
          produce(from, count, perSecond);
        } catch (Throwable e) {
          sendFailures.add(e);
        }
      }, "readings-" + label);
      thread.setDaemon(true);
      thread.start();
      return thread;
    }

    private void sendReading(KafkaProducer<byte[], byte[]> producer, int i) {
      String sensorId = "sensor-" + (i % SENSORS);
      double value = 10.0 + (i * 7 % 23) + (i % SENSORS) * 0.5;
      byte[] bytes = READINGS.encode(new SensorReading(sensorId, System.currentTimeMillis(), value));
      producer.send(new ProducerRecord<>(in, sensorId.getBytes(StandardCharsets.UTF_8), bytes), (metadata, e) -> {
        if (e != null) {
          sendFailures.add(e);
        } else {
          sent.merge(sensorId, 1, Integer::sum);
          goods.add(new SentReading(sensorId, metadata.partition(), metadata.offset()));
        }
      });
    }

    void assertAllSent(int expected) {
      assertThat(sendFailures).as("failed sends of readings").isEmpty();
      assertThat(sent.values().stream().mapToInt(Integer::intValue).sum()).as("readings acknowledged by the broker").isEqualTo(expected);
    }

    /** {@value #BAD_RECORDS_GOOD_COUNT} readings with three undecodable records among them, keyed like readings. */
    List<RecordMetadata> produceWithBadRecords() throws Exception {
      List<RecordMetadata> bad = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        for (int i = 0; i < BAD_RECORDS_GOOD_COUNT; i++) {
          if (i == 200 || i == 500 || i == 800) {
            bad.add(sendBad(producer, "sensor-" + (i % SENSORS), new byte[] {(byte) 0xff, 1, (byte) (i / 100)}));
          }
          sendReading(producer, i);
        }
        producer.flush();
      }
      assertAllSent(BAD_RECORDS_GOOD_COUNT);
      return bad;
    }

    /** {@value #BAD_RECORDS_GOOD_COUNT} readings with one undecodable record in the middle. */
    RecordMetadata produceWithOneBadRecord() throws Exception {
      RecordMetadata bad = null;
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        for (int i = 0; i < BAD_RECORDS_GOOD_COUNT; i++) {
          if (i == BAD_RECORDS_GOOD_COUNT / 2) {
            producer.flush();
            bad = sendBad(producer, "sensor-3", new byte[] {(byte) 0xff, 1, 2});
          }
          sendReading(producer, i);
        }
        producer.flush();
      }
      assertAllSent(BAD_RECORDS_GOOD_COUNT);
      return bad;
    }

    private RecordMetadata sendBad(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) throws Exception {
      RecordMetadata metadata = producer.send(new ProducerRecord<>(in, key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
      badBytes.put(where(metadata), value);
      return metadata;
    }

    /** Per sensor in the bad record's partition: how many of its readings precede the bad record there. */
    Map<String, Integer> goodBefore(RecordMetadata bad) {
      Map<String, Integer> before = new TreeMap<>();
      for (SentReading reading : goods) {
        if (reading.partition() == bad.partition()) {
          before.merge(reading.sensorId(), reading.offset() < bad.offset() ? 1 : 0, Integer::sum);
        }
      }
      return before;
    }

    /** Waits for a complete checkpoint that was triggered after this moment. */
    void awaitCheckpointAfterNow(Duration timeout) throws InterruptedException {
      long newestNow = newestCheckpoint();
      // the next id may already be in flight (triggered earlier): wait for the one after it
      awaitTrue(timeout, () -> newestCheckpoint() >= newestNow + 2,
          () -> "a checkpoint after chk-" + (newestNow + 1) + " in " + checkpoints());
    }

    Path checkpoints() {
      return dir.resolve("checkpoints");
    }

    /** The java.io.tmpdir of the scenario's processes. */
    Path tmp() {
      return dir.resolve("tmp");
    }

    long newestCheckpoint() {
      Pattern chk = Pattern.compile("chk-(\\d+)");
      for (int attempt = 0; ; attempt++) {
        try (Stream<Path> files = Files.walk(checkpoints(), 4)) {
          return files.filter(p -> p.getFileName().toString().equals("_metadata"))
              .map(p -> chk.matcher(p.getParent().getFileName().toString()))
              .filter(Matcher::matches)
              .mapToLong(m -> Long.parseLong(m.group(1)))
              .max().orElse(-1);
        } catch (NoSuchFileException e) {
          if (!Files.exists(checkpoints())) {
            return -1;
          }
        } catch (IOException | UncheckedIOException e) {
          if (attempt > 10) {
            throw new IllegalStateException("Cannot list " + checkpoints(), e);
          }
        }
      }
    }
  }

  private record SentReading(String sensorId, int partition, long offset) {}

  /** One {@code java -jar} run of the processor. */
  private final class App extends AppProcess {
    final Scenario scenario;
    final long number;
    final List<String> args;

    App(Scenario scenario, long number, List<String> args) throws IOException {
      super(scenario.dir.resolve("processor-" + number + ".log"));
      this.scenario = scenario;
      this.number = number;
      this.args = args;
    }

    void start() throws IOException {
      // a temporary directory of the scenario's: what its processes leave there is checked
      List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m",
          "-Djava.io.tmpdir=" + Files.createDirectories(scenario.tmp()), "-jar", APP_JAR.toString(),
          "--streamlet=processor",
          "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
          "--server.port=" + port,
          "--spring.application.name=" + scenario.name,
          "--cloudflow.checkpointing.directory=" + scenario.checkpoints(),
          "--cloudflow.checkpointing.interval=1s",
          "--cloudflow.streamlets.processor.ports.in.topic=" + scenario.in,
          "--cloudflow.streamlets.processor.ports.out.topic=" + scenario.out));
      command.addAll(args);
      launch(command, scenario.dir, Map.of());
    }

    void terminate() {
      process.destroy();
    }

    String scrape() {
      try {
        return get("/actuator/prometheus").body();
      } catch (IOException e) {
        return "";
      }
    }

    @Override
    public String toString() {
      return "processor #" + number + " of " + scenario.name + (process == null ? "" : " (pid " + process.pid() + ")");
    }
  }

  private record Received(ConsumerRecord<byte[], byte[]> record, long receivedNanos) {
    SensorSummary summary() {
      return Collector.decodeSummary(record.value());
    }
  }

  /**
   * Reads a topic from the beginning in a background thread, with assigned partitions (no consumer
   * group, so nothing is delivered twice to the test when the broker restarts), and keeps every record
   * with the time it arrived.
   */
  private static final class Collector implements AutoCloseable {
    private static final ThreadLocal<AvroCodec<SensorSummary>> SUMMARIES =
        ThreadLocal.withInitial(() -> new AvroCodec<>(SensorSummary.class));

    private final String topic;
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> distinct = ConcurrentHashMap.newKeySet();
    private final Function<ConsumerRecord<byte[], byte[]>, String> identity;
    private final boolean readCommitted;
    /** The collector's position in each partition of the topic, after its last poll. */
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    Collector(String topic, boolean readCommitted, Function<ConsumerRecord<byte[], byte[]>, String> identity) {
      this.topic = topic;
      this.identity = identity;
      this.readCommitted = readCommitted;
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      // must not create the topic: the dead-letter topic is the application's to create
      props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
      props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
      thread = new Thread(() -> run(props), "collector-" + topic);
      thread.setDaemon(true);
      thread.start();
    }

    static SensorSummary decodeSummary(byte[] value) {
      return SUMMARIES.get().decode(value);
    }

    private void run(Properties props) {
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        this.consumer = consumer;
        while (running) {
          List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
          if (partitions != null && !partitions.isEmpty()) {
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            break;
          }
          TimeUnit.MILLISECONDS.sleep(250);
        }
        while (running) {
          try {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
              long now = System.nanoTime();
              String id = identity.apply(record);
              if (id != null) {
                distinct.add(id);
              }
              received.add(new Received(record, now));
            }
            for (TopicPartition partition : consumer.assignment()) {
              positions.put(partition.partition(), consumer.position(partition));
            }
          } catch (org.apache.kafka.common.errors.RetriableException e) {
            // broker restarting: poll again
          }
        }
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        // closing
      } catch (Throwable e) {
        failure = e;
      }
    }

    int size() {
      return received.size();
    }

    int distinctSize() {
      return distinct.size();
    }

    long receivedNanos(int index) {
      return received.get(index).receivedNanos();
    }

    List<Received> snapshot() {
      synchronized (received) {
        return new ArrayList<>(received);
      }
    }

    /**
     * Waits until no record has arrived for {@code quiet}, counted from now and from the last arrival:
     * records still in flight (late duplicates, say) arrive before the checks that follow.
     */
    void awaitQuiet(Duration quiet) throws InterruptedException {
      long start = System.nanoTime();
      awaitTrue(quiet.plus(CATCH_UP_TIMEOUT), () -> {
        long last = Math.max(start, received.isEmpty() ? start : receivedNanos(size() - 1));
        return System.nanoTime() - last >= quiet.toNanos();
      }, () -> "records in " + topic + " to stop arriving for " + quiet + " (" + size() + " so far)" + status());
    }

    /**
     * Waits until the collector has read every partition up to its end as the broker has it now (for a
     * read_committed collector: up to the last stable offset), so that nothing written before this
     * call is still on its way.
     */
    void awaitEnd(Duration timeout) throws Exception {
      Map<Integer, Long> ends = new TreeMap<>();
      try (Admin admin = Admin.create(broker.adminProperties())) {
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        ListOffsetsOptions options = new ListOffsetsOptions(readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED);
        admin.listOffsets(latest, options).all().get(30, TimeUnit.SECONDS)
            .forEach((partition, end) -> ends.put(partition.partition(), end.offset()));
      }
      awaitTrue(timeout, () -> ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue()),
          () -> "the collector of " + topic + " at the topic's end " + ends + "; at " + new TreeMap<>(positions) + status());
    }

    void awaitSize(int size, Duration timeout, App app) throws InterruptedException {
      awaitTrue(timeout, () -> size() >= size, () -> size() + " of " + size + " records in " + topic + " from " + app
          + (app.process.isAlive() ? "" : " (exited with " + app.process.exitValue() + ")") + status());
    }

    void awaitDistinct(int size, Duration timeout, App app) throws InterruptedException {
      awaitTrue(timeout, () -> distinctSize() >= size, () -> distinctSize() + " of " + size + " distinct records (" + size()
          + " in all) in " + topic + " from " + app + (app.process.isAlive() ? "" : " (exited with " + app.process.exitValue() + ")")
          + status());
    }

    private String status() {
      return failure == null ? "" : "; collector failed: " + failure;
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      KafkaConsumer<byte[], byte[]> current = consumer;
      if (current != null) {
        current.wakeup();
      }
      thread.join(10_000);
    }

    @Override
    public String toString() {
      return "collector of " + topic;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // small helpers
  // ---------------------------------------------------------------------------------------------

  private static void awaitTrue(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> what)
      throws InterruptedException {
    ItSupport.awaitTrue(timeout, condition, what, 100);
  }


  private static long perSecond(long records, long nanos) {
    return nanos <= 0 ? -1 : Math.round(records * 1e9 / nanos);
  }

  private static synchronized void measure(String name, Object value) {
    String line = name + "=" + value;
    System.out.println(line);
    try {
      Files.writeString(WORK.resolve("measurements.txt"), line + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.out.println("cannot write measurements.txt: " + e);
    }
  }

}
