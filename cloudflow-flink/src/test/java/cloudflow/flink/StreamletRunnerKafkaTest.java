package cloudflow.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import cloudflow.flink.plan.BadRecordHandling;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.runtime.StreamletRunner;
import cloudflow.flink.startup.InletWithoutTopicException;
import cloudflow.flink.startup.LocalClusterPortException;
import cloudflow.flink.startup.StreamletStartupException;
import cloudflow.flink.startup.TransactionTimeoutException;
import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroCodec;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Runs a real streamlet on a local Flink environment against a real (embedded) Kafka broker. */
class StreamletRunnerKafkaTest {

  private static EmbeddedKafkaKraftBroker broker;

  /** Doubles each reading's value; keys output by sensor id. */
  static final class Doubler extends FlinkStreamlet {
    final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          long factor = config().getLong("doubler.factor");
          var doubled = readStream(in).map(r -> new Reading(r.getId(), r.getValue() * factor));
          if (config().hasPath("doubler.parallelism")) {
            doubled.setParallelism(config().getInt("doubler.parallelism"));
          }
          writeStream(out, doubled);
        }
      };
    }
  }

  /**
   * Written as Cloudflow's Java DSL allowed: an inlet with an error handler, and a lambda that calls a
   * method of the anonymous logic (so the logic, its context and this streamlet are serialized).
   */
  static final class Tagger extends FlinkStreamlet {
    final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class, false,
        (byte[] bytes, Throwable cause) -> java.util.Optional.of(new Reading("undecodable", (long) bytes.length)));
    final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        Reading tag(Reading r) {
          return new Reading(streamletRef() + ":" + r.getId(), r.getValue());
        }

        @Override
        public void buildExecutionGraph() {
          writeStream(out, readStream(in).map(r -> tag(r)));
        }
      };
    }
  }

  @BeforeAll
  static void startBroker() {
    broker = new EmbeddedKafkaKraftBroker(1, 2, "readings", "doubled", "unused", "readings-early", "readings-wide", "readings-eo",
        "readings-bad", "tagged", "readings-dl", "doubled-dl", "readings-dl.dead-letter", "readings-stop",
        "doubled-stop");
    // one broker: the transaction log cannot have Kafka's default three replicas
    broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
    broker.afterPropertiesSet();
  }

  @AfterAll
  static void stopBroker() {
    broker.destroy();
  }

  @Test
  void roundTripsAvroRecordsThroughAProcessorStreamlet() throws Exception {
    roundTrip(runner(), doubler("", DeliveryGuarantee.AT_LEAST_ONCE, Map.of()));
  }

  @Test
  void runsTheJobPreparedAheadOnTheLocalClusterStartedForIt() throws Exception {
    StreamletRunner runner = runner();
    StreamletDefinition definition = doubler("-early", DeliveryGuarantee.AT_LEAST_ONCE, Map.of());

    runner.prepare(new Doubler(), definition);
    roundTrip(runner, definition);
  }

  @Test
  void startsAnotherClusterWhenTheJobNeedsMoreSlotsThanTheOneStartedEarly() throws Exception {
    StreamletRunner runner = runner();
    // the early cluster has the 2 slots of the default parallelism; the job's map needs 3
    StreamletDefinition definition = doubler("-wide", DeliveryGuarantee.AT_LEAST_ONCE, Map.of("doubler.parallelism", 3));

    runner.prepare(new Doubler(), definition);
    roundTrip(runner, definition);
  }

  @Test
  void writesExactlyOnceThroughCommittedTransactions() throws Exception {
    // the consumer reads committed records only: all of them arrive once their checkpoint commits
    roundTrip(runner(), doubler("-eo", DeliveryGuarantee.EXACTLY_ONCE, Map.of()));
  }

  /** The doubler reading readings{suffix} and writing doubled{suffix}, doubling by 2. */
  private static StreamletDefinition doubler(String suffix, DeliveryGuarantee guarantee, Map<String, Object> config) {
    Map<String, Object> values = new java.util.HashMap<>(config);
    values.put("doubler.factor", 2);
    return new StreamletDefinition("test-app", "doubler", Map.of("in", "readings" + suffix, "out", "doubled" + suffix),
        ConfigFactory.parseMap(values), guarantee, Map.of(), Map.of());
  }

  @Test
  void refusesExactlyOnceWithATransactionTimeoutAboveTheBrokersMaximum() {
    StreamletRunner runner = new StreamletRunner(
        new KafkaSettings(broker.getBrokersAsString(), Map.of(), Map.of("transaction.timeout.ms", "3600000")),
        new Configuration());
    StreamletDefinition definition = doubler("", DeliveryGuarantee.EXACTLY_ONCE, Map.of());

    assertThatExceptionOfType(TransactionTimeoutException.class)
        .isThrownBy(() -> runner.run(new Doubler(), definition))
        .withMessage("Exactly-once needs the producer setting transaction.timeout.ms (3600000 ms) to be at most the "
            + "broker's transaction.max.timeout.ms (900000 ms)")
        .satisfies(e -> assertThat(e.brokerMaximumMs()).isEqualTo(900_000L))
        .satisfies(e -> assertThat(e.fix()).isEqualTo(StreamletStartupException.Fix.TRANSACTION_TIMEOUT));
  }

  /**
   * A REST port that is taken fails the start with an error naming the option and the port, and the
   * failed cluster's RPC threads go with the runner: Flink leaves them running after a failed start,
   * and they used to die later loading classes, which made Flink exit the JVM with code 239.
   */
  @Test
  void refusesATakenRestPortNamingItAndLeavesNoRpcThreadsBehind() throws Exception {
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Configuration flink = new Configuration();
      flink.setString("rest.port", String.valueOf(taken.getLocalPort()));
      StreamletRunner runner = new StreamletRunner(KafkaSettings.of(broker.getBrokersAsString()), flink);
      StreamletDefinition definition = doubler("-port", DeliveryGuarantee.AT_LEAST_ONCE, Map.of());

      assertThatExceptionOfType(LocalClusterPortException.class)
          .isThrownBy(() -> runner.run(new Doubler(), definition))
          .withMessage("The local Flink cluster of streamlet 'doubler' cannot serve Flink's REST API on rest.port "
              + taken.getLocalPort() + ": the port is taken on this host")
          .satisfies(e -> assertThat(e.option()).isEqualTo("rest.port"))
          .satisfies(e -> assertThat(e.fix()).isEqualTo(StreamletStartupException.Fix.LOCAL_CLUSTER_PORT));
      runner.close();
    }
    assertNoThreadKeepsTheJvmAlive(before, "the failed start");
  }

  /**
   * A preparation that reaches its cluster after the runner closed (a failed start or a SIGTERM while
   * it was under way) starts none: the runner's close has already shut down the clusters it knew.
   */
  @Test
  void aRunnerThatClosedStartsNoLocalCluster() throws Exception {
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    StreamletRunner runner = runner();
    runner.close();

    assertThatExceptionOfType(IllegalStateException.class)
        .isThrownBy(() -> runner.run(new Doubler(), doubler("-closed", DeliveryGuarantee.AT_LEAST_ONCE, Map.of())))
        .withMessage("Streamlet 'doubler' gets no local Flink cluster: the application is stopping");
    assertNoThreadKeepsTheJvmAlive(before, "a run after close");
  }

  private static void assertNoThreadKeepsTheJvmAlive(java.util.Set<Thread> before, String after) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    List<String> left;
    do {
      left = Thread.getAllStackTraces().keySet().stream()
          .filter(thread -> !before.contains(thread) && thread.isAlive() && !thread.isDaemon())
          .map(Thread::getName)
          .toList();
      Thread.sleep(100);
    } while (!left.isEmpty() && System.nanoTime() < deadline);
    assertThat(left).as("threads started by %s that keep the JVM alive", after).isEmpty();
  }

  private static StreamletRunner runner() {
    Configuration flink = new Configuration();
    flink.setString("parallelism.default", "2");
    return new StreamletRunner(KafkaSettings.of(broker.getBrokersAsString()), flink);
  }

  /** A runner whose jobs have a checkpoint directory: a stop then takes a savepoint. */
  private static StreamletRunner runnerCheckpointingTo(Path checkpoints) {
    Configuration flink = new Configuration();
    flink.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
    return new StreamletRunner(KafkaSettings.of(broker.getBrokersAsString()), flink);
  }

  private static void roundTrip(StreamletRunner runner, StreamletDefinition definition) throws Exception {
    String in = definition.portMappings().get("in");
    String out = definition.portMappings().get("out");
    int count = 200;
    produceReadings(in, count);

    StreamletExecution execution = runner.run(new Doubler(), definition);
    execution.ready().get(60, TimeUnit.SECONDS);
    assertThat(execution.status()).isEqualTo(JobStatus.RUNNING);

    List<ConsumerRecord<byte[], byte[]>> output = consume(out, count, Duration.ofSeconds(60));
    execution.stop().get(30, TimeUnit.SECONDS);

    assertThat(output).hasSize(count);
    AvroCodec<Reading> codec = new AvroCodec<>(Reading.class);
    List<Long> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : output) {
      Reading reading = codec.decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(reading.getId());
      assertThat(reading.getId()).isEqualTo("sensor-" + (reading.getValue() / 2 % 5));
      values.add(reading.getValue());
    }
    assertThat(values).containsExactlyInAnyOrderElementsOf(
        java.util.stream.LongStream.range(0, count).map(v -> v * 2).boxed().toList());
    assertThat(execution.completed()).isCompleted();
    assertThat(execution.status()).isEqualTo(JobStatus.CANCELED);
  }

  @Test
  void runsLogicThatFunctionsCaptureAndPassesTheErrorHandlersReplacements() throws Exception {
    produceReadings("readings-bad", 3);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("readings-bad", new byte[] {(byte) 0xff, 1})).get();
    }
    StreamletRunner runner = new StreamletRunner(KafkaSettings.of(broker.getBrokersAsString()), new Configuration());
    StreamletDefinition definition = new StreamletDefinition(
        "test-app", "tagger", Map.of("in", "readings-bad", "out", "tagged"), ConfigFactory.empty());

    StreamletExecution execution = runner.run(new Tagger(), definition);
    List<ConsumerRecord<byte[], byte[]>> output;
    try {
      execution.ready().get(60, TimeUnit.SECONDS);
      output = consume("tagged", 4, Duration.ofSeconds(60));
    } finally {
      execution.stop().get(30, TimeUnit.SECONDS);
    }

    AvroCodec<Reading> codec = new AvroCodec<>(Reading.class);
    assertThat(output.stream().map(r -> codec.decode(r.value())).toList()).containsExactlyInAnyOrder(
        new Reading("tagger:sensor-0", 0L), new Reading("tagger:sensor-1", 1L), new Reading("tagger:sensor-2", 2L),
        new Reading("tagger:undecodable", 2L));
  }

  /**
   * A stop with savepoint fails while a task is not running yet; a stop right after submission waits
   * for the tasks (bounded) and then takes the savepoint, instead of cancelling the job without one.
   */
  @Test
  void stopRightAfterSubmissionWaitsForTheTasksAndStopsWithASavepoint(@TempDir Path checkpoints) throws Exception {
    StreamletRunner runner = runnerCheckpointingTo(checkpoints);
    StreamletDefinition definition = doubler("-stop", DeliveryGuarantee.AT_LEAST_ONCE, Map.of());

    StreamletExecution execution = runner.run(new Doubler(), definition);
    assertThat(execution.running()).as("running right after submission").isFalse();
    execution.stop().get(60, TimeUnit.SECONDS);

    assertThat(execution.status()).as("status after the stop (CANCELED: no savepoint)").isEqualTo(JobStatus.FINISHED);
    assertThat(execution.ready()).as("the job ran before it stopped").isCompleted();
    try (var files = Files.walk(checkpoints)) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("_metadata")
              && f.getParent().getFileName().toString().startsWith("savepoint-")))
          .as("savepoint metadata under %s", checkpoints).hasSize(1);
    }
  }

  /**
   * A local job is submitted as soon as it is prepared; stopped before anyone asked for it (a SIGTERM
   * while the application starts), it is handed to the caller to stop with a savepoint, and not again.
   */
  @Test
  void handsOutAJobSubmittedAheadToStopItWithASavepoint(@TempDir Path checkpoints) throws Exception {
    StreamletRunner runner = runnerCheckpointingTo(checkpoints);
    StreamletDefinition definition = doubler("-ahead", DeliveryGuarantee.AT_LEAST_ONCE, Map.of());
    try {
      runner.prepare(new Doubler(), definition);

      List<StreamletExecution> ahead = runner.takeSubmittedAhead(Duration.ofSeconds(60));

      assertThat(ahead).as("submitted without run()").singleElement()
          .satisfies(execution -> assertThat(execution.streamletRef()).isEqualTo("doubler"));
      ahead.get(0).stop().get(60, TimeUnit.SECONDS);
      assertThat(ahead.get(0).stoppedWithSavepoint()).as("stopped with a savepoint").isPresent();
      assertThat(runner.takeSubmittedAhead(Duration.ZERO)).as("handed out once").isEmpty();
    } finally {
      runner.close();
    }
  }

  @Test
  void writesDeadLettersExactlyOnceVisibleToCommittedReadersOnlyAfterTheCommit(@TempDir Path checkpoints)
      throws Exception {
    produceReadings("readings-dl", 3);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    long badOffset;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      badOffset = producer.send(new ProducerRecord<>("readings-dl", 0, "bad-key".getBytes(StandardCharsets.UTF_8),
          new byte[] {(byte) 0xff, 1})).get().offset();
    }
    Configuration flink = new Configuration();
    // a checkpoint directory: stop() then takes a savepoint, which commits the open transactions
    flink.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
    StreamletRunner runner = new StreamletRunner(KafkaSettings.of(broker.getBrokersAsString()), flink);
    // no checkpoint while the test looks (Flink's first one comes between the minimum pause and the interval)
    StreamletDefinition definition = new StreamletDefinition("test-app", "doubler",
        Map.of("in", "readings-dl", "out", "doubled-dl"), ConfigFactory.parseMap(Map.of("doubler.factor", 2)),
        DeliveryGuarantee.EXACTLY_ONCE,
        Map.of("in", new BadRecordHandling(BadRecordHandling.Policy.DEAD_LETTER, "readings-dl.dead-letter")),
        Map.of("execution.checkpointing.interval", "10 min", "execution.checkpointing.min-pause", "9 min"));

    StreamletExecution execution = runner.run(new Doubler(), definition);
    List<ConsumerRecord<byte[], byte[]>> uncommitted;
    List<ConsumerRecord<byte[], byte[]>> committedBefore;
    try {
      execution.ready().get(60, TimeUnit.SECONDS);
      // written into the sink's open transaction...
      uncommitted = consume("readings-dl.dead-letter", 1, Duration.ofSeconds(60), "read_uncommitted");
      // ...which a committed reader does not see yet
      committedBefore = consume("readings-dl.dead-letter", 1, Duration.ofSeconds(2), "read_committed");
    } finally {
      execution.stop().get(60, TimeUnit.SECONDS);
    }
    List<ConsumerRecord<byte[], byte[]>> committedAfter =
        consume("readings-dl.dead-letter", 1, Duration.ofSeconds(30), "read_committed");

    assertThat(uncommitted).hasSize(1);
    assertThat(committedBefore).isEmpty();
    assertThat(committedAfter).hasSize(1);
    ConsumerRecord<byte[], byte[]> dead = committedAfter.get(0);
    assertThat(dead.key()).isEqualTo("bad-key".getBytes(StandardCharsets.UTF_8));
    assertThat(dead.value()).isEqualTo(new byte[] {(byte) 0xff, 1});
    assertThat(header(dead, "cloudflow.error")).startsWith("Cannot decode 2 bytes as Avro").doesNotEndWith(": null");
    assertThat(header(dead, "cloudflow.source.topic")).isEqualTo("readings-dl");
    assertThat(header(dead, "cloudflow.source.partition")).isEqualTo("0");
    assertThat(header(dead, "cloudflow.source.offset")).isEqualTo(String.valueOf(badOffset));
    // the good records went on through the inlet's stream, committed with the same checkpoint
    assertThat(consume("doubled-dl", 3, Duration.ofSeconds(30), "read_committed")).hasSize(3);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Test
  void refusesToRunAStreamletWithAnInletWithoutATopic() {
    StreamletRunner runner = new StreamletRunner(KafkaSettings.of(broker.getBrokersAsString()), new Configuration());
    StreamletDefinition definition =
        new StreamletDefinition("test-app", "doubler", Map.of("out", "doubled"), ConfigFactory.empty());

    assertThatExceptionOfType(InletWithoutTopicException.class)
        .isThrownBy(() -> runner.run(new Doubler(), definition))
        .withMessage("Streamlet 'doubler' has inlets without a topic: [in]")
        .satisfies(e -> assertThat(e.inlets()).containsExactly("in"))
        .satisfies(e -> assertThat(e.streamletRef()).isEqualTo("doubler"));
  }

  @Test
  void getContextIsOnlyAvailableWhileTheRuntimeCreatesTheLogic() {
    Doubler doubler = new Doubler();
    org.assertj.core.api.Assertions.assertThatIllegalStateException()
        .isThrownBy(doubler::createLogic)
        .withMessageContaining("createLogic()");
  }

  private static void produceReadings(String topic, int count) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    AvroCodec<Reading> codec = new AvroCodec<>(Reading.class);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, codec.encode(new Reading("sensor-" + (i % 5), (long) i))));
      }
      producer.flush();
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
    return consume(topic, expected, timeout, "read_committed");
  }

  private static List<ConsumerRecord<byte[], byte[]>> consume(
      String topic, int expected, Duration timeout, String isolationLevel) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      // a short extra poll catches duplicates or strays beyond the expected count
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }
}
