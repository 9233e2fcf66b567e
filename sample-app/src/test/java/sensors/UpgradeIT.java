package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static sensors.ItSupport.awaitTrue;
import static sensors.ItSupport.millisSince;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import cloudflow.streamlets.avro.AvroCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.avro.compiler.specific.SpecificCompiler;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;
import sensors.upgrades.CountingStreamlet;

/**
 * Code upgrades of a stateful streamlet, run as a user would: the packaged jar in real processes
 * against a real broker process. The versions are the {@link CountingStreamlet} classes (compiled with
 * the tests, put on the jar's class path with Spring Boot's {@code PropertiesLauncher} and
 * {@code loader.path}), each bound to the streamlet name {@code processor} by the blueprint of its run,
 * so every run is the same application and streamlet with other code. Each run writes to a topic of
 * its own, so its output tells exactly which state it started from: the count of a sensor continues
 * (restored) or starts again at 1 (empty).
 *
 * <p>One broker, one input topic and one chain of runs:
 * v1 → SIGTERM (savepoint S1) → v2 with a new uid: refused → with allow-non-restored-state: starts,
 * says what it dropped → v1 rolls back to S1 → kill -9 → from S1 under other application ids: v2 with
 * an incompatible state type, v2 (stateless step, defaulted field, parallelism 2), v2 with a renamed
 * state descriptor → v2 resumes v1's last checkpoint. The state is a generated Avro {@code SpecificRecord}
 * in one version per schema (v2 adds a field with a default), generated and compiled here; the state
 * backend is {@code hashmap} (Flink's default), {@code -Dupgrade-it.state-backend=rocksdb} for the other.
 */
class UpgradeIT {

  /** Generous: a JVM start on a busy 2-core machine can take minutes. */
  private static final Duration TIMEOUT = Duration.ofSeconds(240);
  private static final List<String> SENSORS = List.of("s0", "s1", "s2");
  private static final AvroCodec<SensorReading> READINGS = new AvroCodec<>(SensorReading.class);
  private static final AvroCodec<SensorSummary> SUMMARIES = new AvroCodec<>(SensorSummary.class);
  private static final Path APP_JAR =
      Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
  private static final Path WORK = APP_JAR.getParent().resolve("upgrade-it");
  /** The state backend of every run: {@code -Dupgrade-it.state-backend=rocksdb} runs the chain on the other. */
  private static final String STATE_BACKEND = System.getProperty("upgrade-it.state-backend", "hashmap");
  private static final Pattern SAVEPOINT = Pattern.compile("stopped with savepoint (\\S+)");

  private static KafkaBrokerProcess broker;
  private static Path versions;
  private static List<String> addOpens;
  private static final List<Run> runs = new CopyOnWriteArrayList<>();

  private final String id = "upgrade-" + UUID.randomUUID().toString().substring(0, 6);
  private final Path dir = WORK.resolve(id);
  private final String input = id + "-readings";

  @BeforeAll
  static void start() throws IOException {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
      logback.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.WARN);
    }
    assertThat(APP_JAR).as("packaged jar (run mvn package first)").isRegularFile();
    Files.createDirectories(WORK);
    // only the versions go on the jar's class path: the other test classes must not be scanned
    versions = Files.createDirectories(WORK.resolve("versions/sensors/upgrades")).getParent().getParent();
    Path compiled = Path.of(CountingStreamlet.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .resolve("sensors/upgrades");
    try (Stream<Path> classes = Files.list(compiled)) {
      for (Path c : classes.toList()) {
        Files.copy(c, versions.resolve("sensors/upgrades").resolve(c.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    for (String schema : List.of("total-v1", "total-v2", "total-incompatible")) {
      compileTotal(schema);
    }
    try (JarFile jar = new JarFile(APP_JAR.toFile())) {
      addOpens = Arrays.stream(jar.getManifest().getMainAttributes().getValue("Add-Opens").split("\\s+"))
          .map(p -> "--add-opens=" + p + "=ALL-UNNAMED").toList();
    }
    long started = System.nanoTime();
    broker = SharedBroker.get(); // its own topics and application ids (id-based)
    System.out.println("upgrade-it broker-start-ms " + millisSince(started));
  }

  /**
   * Generates {@code Total} from the schema resource {@code name} with Avro's compiler and compiles it
   * into a directory of its own: the same class in another version per directory, as in two builds.
   */
  private static void compileTotal(String name) throws IOException {
    Path sources = WORK.resolve("state-src").resolve(name);
    Path classes = totalClasses(name);
    try (var schema = UpgradeIT.class.getResourceAsStream("upgrades/" + name + ".avsc")) {
      assertThat(schema).as("schema resource %s", name).isNotNull();
      SpecificCompiler compiler = new SpecificCompiler(new org.apache.avro.Schema.Parser().parse(schema));
      compiler.setStringType(GenericData.StringType.String);
      compiler.compileToDestination(null, sources.toFile());
    }
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String avro = Path.of(SpecificRecordBase.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    List<String> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
    }
    List<String> arguments = new ArrayList<>(List.of("-proc:none", "-nowarn", "-classpath", avro, "-d", classes.toString()));
    arguments.addAll(files);
    assertThat(javac.run(null, null, null, arguments.toArray(String[]::new))).as("javac of %s", files).isZero();
  }

  private static Path totalClasses(String name) {
    return WORK.resolve("state").resolve(name);
  }

  @AfterAll
  static void stop() {
    runs.forEach(Run::destroy);
  }

  @Test
  void stateSurvivesCompatibleUpgradesAndIncompatibleOnesAreRefused() throws Exception {
    long testStarted = System.nanoTime();
    broker.createTopic(input, 2);
    Files.createDirectories(dir);

    // v1 counts 4 readings per sensor, stops with a savepoint
    produce(4);
    Run v1 = run("v1", "app", CountingStreamlet.V1.class).start();
    assertCounts(v1, 1, 4);
    assertThat(v1.log()).as("log of %s", v1).contains("Counting in state 'total' of ").doesNotContain("\"name\":\"note\"");
    String s1 = v1.stopWithSavepoint();

    // v2 whose state operator has another uid: refused before anything runs, naming uid, state and ways out
    Run newUid = run("new-uid", "app", CountingStreamlet.V2NewUid.class).start();
    assertThat(newUid.process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("%s exits", newUid).isTrue();
    assertThat(newUid.process.exitValue()).as("exit code of %s", newUid).isEqualTo(1);
    String refusal = newUid.log();
    assertThat(refusal).as("refusal of %s", newUid)
        .contains("Streamlet 'processor' cannot restore " + s1)
        .contains("operator 'running-stats' (keyed state 'total')")
        .contains("the new job's uids:").contains("'running-stats-v2'")
        .contains("cloudflow.streamlets.processor.restore-from=<path>")
        .contains("cloudflow.streamlets.processor.allow-non-restored-state=true")
        .doesNotContain("--allowNonRestoredState");
    assertThat(refusal.lines().filter(l -> l.startsWith("\tat ")).count())
        .as("stack trace lines in the log of %s", newUid).isLessThan(10);

    // the same with allow-non-restored-state: starts, says what it dropped, leaves the savepoint
    produce(3);
    Run dropping = run("allow", "app", CountingStreamlet.V2NewUid.class,
        "--cloudflow.streamlets.processor.allow-non-restored-state=true").start();
    assertCounts(dropping, 1, 3);
    assertThat(dropping.log()).as("log of %s", dropping)
        .contains("Streamlet 'processor' drops state of " + s1)
        .contains("operator 'running-stats' (keyed state 'total')")
        .contains("(a savepoint: not claimed, it stays for a roll-back)");
    dropping.stopWithSavepoint();
    assertThat(metadata(s1)).as("v1's savepoint after the run that dropped its state").isRegularFile();

    // v1 rolls back to its savepoint: its counts continue from 4 over the 3 readings since
    Run rollBack = run("roll-back", "app", CountingStreamlet.V1.class,
        "--cloudflow.streamlets.processor.restore-from=" + s1).start();
    assertCounts(rollBack, 5, 7);
    rollBack.awaitCheckpointAfterNow();
    rollBack.kill();

    // from v1's savepoint, under other application ids (checkpoint directories of their own)
    Run v2 = run("v2-from-savepoint", "app-b", CountingStreamlet.V2.class,
        "--cloudflow.streamlets.processor.restore-from=" + s1, "--cloudflow.streamlets.processor.parallelism=2");
    Run incompatible = run("incompatible", "app-c", CountingStreamlet.V2IncompatibleState.class,
        "--cloudflow.streamlets.processor.restore-from=" + s1);
    Run renamed = run("renamed", "app-d", CountingStreamlet.V2RenamedState.class,
        "--cloudflow.streamlets.processor.restore-from=" + s1);
    // one at a time: three JVMs starting at once on a busy 2-core machine take minutes
    incompatible.start();

    // the incompatible state type: never ready, a typed error naming streamlet, uid and state, liveness DOWN
    List<String> readiness = new ArrayList<>();
    // the probes answer DOWN while the application starts: sample from the job's submission on
    awaitTrue(TIMEOUT.multipliedBy(2), () -> incompatible.log().contains("Submitted streamlet 'processor'"),
        () -> "the job of " + incompatible + " submitted", 200);
    long failedAfter = -1;
    long deadline = System.nanoTime() + TIMEOUT.multipliedBy(2).toNanos();
    while (System.nanoTime() < deadline && incompatible.process.isAlive()) {
      readiness.add(status(incompatible.body("/actuator/health/readiness")));
      if (status(incompatible.body("/actuator/health/liveness")).equals("DOWN")) {
        failedAfter = millisSince(incompatible.startedNanos);
        break;
      }
      Thread.sleep(200);
    }
    System.out.println("upgrade-it incompatible-liveness-down-ms " + failedAfter);
    assertThat(failedAfter).as("liveness of %s DOWN within %s; log:\n%s", incompatible, TIMEOUT, incompatible.tail(80))
        .isPositive();
    assertThat(readiness).as("readiness of %s, sampled every 200 ms until liveness DOWN", incompatible)
        .doesNotContain("UP");
    String error = incompatible.log();
    assertThat(error).as("log of %s", incompatible)
        .contains("Streamlet 'processor' cannot restore the state of operator 'running-stats' (keyed state 'total') from "
            + s1)
        .contains("cloudflow.streamlets.processor.restore-from=<path>");
    // Flink's reason in one line: Avro's schema resolution refuses long -> string, or the restore cannot read it
    assertThat(error.lines().filter(l -> l.contains("cannot restore the state of operator")).findFirst().orElse(""))
        .as("the error line of %s", incompatible).containsPattern("StateMigrationException|AvroTypeException");
    assertThat(restarts(error)).as("restarts of %s before it was stopped", incompatible).isLessThanOrEqualTo(1);

    incompatible.destroy();

    // the compatible v2 continues v1's counts from the savepoint
    v2.start();
    assertCounts(v2, 5, 7);
    assertThat(v2.log()).as("log of %s", v2).contains("Counting in state 'total' of ").contains("\"name\":\"note\"");
    v2.destroy();

    // the renamed state descriptor: warned about at the first checkpoint, naming both names
    renamed.start();
    assertCounts(renamed, 1, 3);
    awaitTrue(TIMEOUT, () -> renamed.log().contains("now keeps keyed state 'running-total' that " + s1 + " does not have"),
        () -> "the warning about the renamed state in the log of " + renamed + ":\n" + renamed.tail(80), 250);
    assertThat(renamed.log()).contains("next to 'total' it restored");
    System.out.println("upgrade-it renamed-warning-ms " + millisSince(renamed.startedNanos));
    renamed.destroy();

    // the compatible v2 resumes v1's last checkpoint after kill -9 (v1's savepoint was not deleted by then)
    produce(2);
    Run afterKill = run("v2-after-kill", "app", CountingStreamlet.V2.class,
        "--cloudflow.streamlets.processor.parallelism=2").start();
    assertCounts(afterKill, 8, 9);
    assertThat(afterKill.log()).as("log of %s", afterKill).containsPattern("resumes from \\S*/chk-\\d+ \\(its last checkpoint: claimed\\)");
    afterKill.destroy();
    // retention keeps the newest savepoints (5 by default): the v2 runs took none, v1 can still roll back
    assertThat(metadata(s1)).as("v1's savepoint after the v2 runs").isRegularFile();
    System.out.println("upgrade-it total-ms " + millisSince(testStarted));
  }

  // ---------------------------------------------------------------------------------------------

  private Run run(String label, String application, Class<? extends CountingStreamlet> version, String... args)
      throws IOException {
    Run run = new Run(label, id + "-" + application, version, List.of(args));
    runs.add(run);
    return run;
  }

  /** Sends {@code perSensor} readings of every sensor. */
  private void produce(int perSensor) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < perSensor; i++) {
        for (String sensor : SENSORS) {
          producer.send(new ProducerRecord<>(input, sensor.getBytes(StandardCharsets.UTF_8),
              READINGS.encode(new SensorReading(sensor, System.currentTimeMillis(), 1.0))));
        }
      }
      producer.flush();
    }
  }

  /** Each sensor's counts in the run's output are exactly {@code first..last}: its state before was {@code first - 1}. */
  private static void assertCounts(Run run, long first, long last) throws InterruptedException {
    run.awaitReady(TIMEOUT);
    int expected = (int) (last - first + 1) * SENSORS.size();
    List<ConsumerRecord<byte[], byte[]>> records = ItSupport.consumeCommitted(broker.bootstrapServers(), new Properties(),
        run.output, expected, TIMEOUT, Duration.ofMillis(500));
    Map<String, List<Long>> counts = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      SensorSummary summary = SUMMARIES.decode(record.value());
      counts.computeIfAbsent(summary.getSensorId(), k -> new ArrayList<>()).add(summary.getCount());
    }
    counts.values().forEach(list -> list.sort(null));
    Map<String, List<Long>> wanted = new TreeMap<>();
    SENSORS.forEach(s -> wanted.put(s, java.util.stream.LongStream.rangeClosed(first, last).boxed().toList()));
    assertThat(counts).as("counts per sensor written by %s (state before: %d); log:\n%s", run, first - 1, run.tail(80))
        .isEqualTo(wanted);
    System.out.println("upgrade-it " + run.label + "-output-ms " + millisSince(run.startedNanos));
  }

  private static String status(String health) {
    Matcher m = Pattern.compile("\"status\":\"(\\w+)\"").matcher(health);
    return m.find() ? m.group(1) : "?";
  }

  /** How often the job went RESTARTING, as the runner logs each status change. */
  private static long restarts(String log) {
    return log.lines().filter(l -> l.contains("Streamlet 'processor' job ") && l.endsWith(" is RESTARTING")).count();
  }

  private static Path metadata(String savepoint) {
    return Path.of(savepoint.replaceFirst("^file:", "")).resolve("_metadata");
  }

  /** One run of the jar with one version of the streamlet. */
  private final class Run extends AppProcess {
    final String label;
    final String application;
    final Class<? extends CountingStreamlet> version;
    final List<String> args;
    final String output;

    Run(String label, String application, Class<? extends CountingStreamlet> version, List<String> args) throws IOException {
      super(dir.resolve(label + ".log"));
      this.label = label;
      this.application = application;
      this.version = version;
      this.args = args;
      this.output = id + "-" + label + "-summaries";
    }

    Run start() throws IOException {
      Path blueprint = dir.resolve(label + "-blueprint.conf");
      Files.writeString(blueprint, """
          blueprint {
            streamlets { ingress = ingress, processor = "%s", egress = egress }
            topics {
              sensor-readings { producers = [ingress.out], consumers = [processor.in] }
              sensor-summaries { producers = [processor.out], consumers = [egress.in] }
            }
          }
          """.formatted(version.getName()));
      List<String> command = new ArrayList<>(List.of(java(), "-Xmx384m"));
      command.addAll(addOpens);
      String total;
      try {
        total = version.getDeclaredConstructor().newInstance().totalSchema();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      command.addAll(List.of("-Dloader.path=" + versions + "," + totalClasses(total), "-cp", APP_JAR.toString(),
          "org.springframework.boot.loader.launch.PropertiesLauncher",
          "--streamlet=processor",
          "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
          "--server.port=" + port,
          "--spring.application.name=" + application,
          "--cloudflow.blueprint.location=file:" + blueprint,
          "--cloudflow.checkpointing.directory=" + dir.resolve("checkpoints"),
          "--cloudflow.checkpointing.interval=1s",
          "--cloudflow.checkpointing.state-backend=" + STATE_BACKEND,
          "--cloudflow.streamlets.processor.ports.in.topic=" + input,
          "--cloudflow.streamlets.processor.ports.out.topic=" + output));
      command.addAll(args);
      launch(command, dir, Map.of());
      return this;
    }

    /** SIGTERM; returns the savepoint it stopped with. */
    String stopWithSavepoint() throws InterruptedException {
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s exits after SIGTERM", this).isTrue();
      Matcher m = SAVEPOINT.matcher(log());
      assertThat(m.find()).as("%s stopped with a savepoint; log:\n%s", this, tail(80)).isTrue();
      return m.group(1);
    }

    /** Waits for a complete checkpoint of this run triggered after now. */
    void awaitCheckpointAfterNow() throws InterruptedException {
      long now = newestCheckpoint();
      awaitTrue(Duration.ofSeconds(30), () -> newestCheckpoint() >= now + 2, () -> "a checkpoint after chk-" + (now + 1), 200);
    }

    private long newestCheckpoint() {
      Pattern chk = Pattern.compile("chk-(\\d+)");
      try (Stream<Path> files = Files.walk(dir.resolve("checkpoints"), 4)) {
        return files.filter(p -> p.getFileName().toString().equals("_metadata"))
            .map(p -> chk.matcher(p.getParent().getFileName().toString())).filter(Matcher::matches)
            .mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(-1);
      } catch (IOException | UncheckedIOException e) {
        return -1; // a checkpoint directory deleted while listing: ask again
      }
    }

    @Override
    public String toString() {
      return label + " (" + version.getSimpleName() + ", " + application + ")";
    }
  }
}
