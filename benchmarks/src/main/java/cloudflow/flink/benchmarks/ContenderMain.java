package cloudflow.flink.benchmarks;

import cloudflow.flink.StreamletExecution;
import cloudflow.flink.benchmarks.data.BenchRecord;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.runtime.StreamletRunner;
import cloudflow.flink.spring.config.FlinkConfigurationFactory;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.AvroDeserializationSchema;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The entry point of one contender JVM. It starts its implementation, then talks to the orchestrator
 * through stdout lines starting with {@code BENCH} ({@code SUBMITTED <epoch ms>} when the job is
 * submitted or the loop starts, {@code RUNNING <epoch ms>}, {@code ERROR <text>},
 * {@code STATS k=v ...}) and stops when stdin says {@code STOP} or closes. Logs go to stderr.
 */
public final class ContenderMain {

  private static final PrintStream OUT = System.out;

  private ContenderMain() {}

  public static void main(String[] args) throws Exception {
    SelfStats stats = new SelfStats();
    ContenderConfig config = ContenderConfig.fromArgs(args);
    // nothing but the protocol on stdout
    System.setOut(System.err);
    try {
      CompletableFuture<Void> running = switch (config.mode()) {
        case STREAMLET -> startStreamlet(config);
        case FLINK -> startFlinkJob(config);
        case RAW -> RawKafkaLoop.start(config, error -> say("ERROR " + oneLine(error)));
      };
      long submitted = stats.markReady();
      say("SUBMITTED " + submitted);
      running.whenComplete((ok, error) -> {
        if (error == null) {
          say("RUNNING " + System.currentTimeMillis());
        } else {
          say("ERROR " + oneLine(error));
        }
      });
    } catch (Throwable e) {
      e.printStackTrace();
      say("ERROR " + oneLine(e));
      System.err.flush();
      Runtime.getRuntime().halt(2);
    }
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = stdin.readLine()) != null && !line.trim().equals("STOP")) {
      // wait for the orchestrator
    }
    StringBuilder text = new StringBuilder("STATS");
    stats.snapshot().forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
    say(text.toString());
    // a JFR recording (--jfr) is written when it stops, which halt() would skip
    if (jdk.jfr.FlightRecorder.isInitialized()) {
      for (jdk.jfr.Recording recording : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()) {
        recording.stop();
      }
    }
    System.err.flush();
    // no savepoint, no graceful cancel: the measurement is over
    Runtime.getRuntime().halt(0);
  }

  private static synchronized void say(String message) {
    OUT.println("BENCH " + message);
    OUT.flush();
  }

  private static String oneLine(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return (error + (root != error ? " / root cause: " + root : "")).replace('\n', ' ');
  }

  /** The streamlet through {@link StreamletRunner}, with the Flink defaults the starter applies. */
  private static CompletableFuture<Void> startStreamlet(ContenderConfig config) {
    Map<String, String> flink = new LinkedHashMap<>();
    flink.put("parallelism.default", String.valueOf(config.parallelism()));
    if (!config.checkpointInterval().equals("default")) {
      flink.put("execution.checkpointing.interval", config.checkpointInterval());
    }
    // the starter always gives jobs a checkpoint directory (./checkpoints by default)
    flink.put("execution.checkpointing.dir", config.workDirectory().resolve("checkpoints").toUri().toString());
    flink.putAll(config.withPrefix("flink."));
    Configuration configuration = FlinkConfigurationFactory.create(flink, List.of());
    KafkaSettings kafka = new KafkaSettings(
        config.bootstrapServers(), config.withPrefix("consumer."), config.withPrefix("producer."));
    StreamletDefinition definition = new StreamletDefinition(
        "bench-" + config.runId(),
        "passthrough",
        Map.of("in", config.inputTopic(), "out", config.outputTopic()),
        ConfigFactory.empty(),
        config.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE,
        Map.of(),
        Map.of());
    StreamletExecution execution = new StreamletRunner(kafka, configuration).run(new PassThroughStreamlet(), definition);
    execution.completed().whenComplete((ok, error) ->
        say("ERROR the streamlet's job ended: " + (error == null ? execution.status() : oneLine(error))));
    return execution.ready();
  }

  /** The same job written by hand on the DataStream API. */
  private static CompletableFuture<Void> startFlinkJob(ContenderConfig config) throws Exception {
    Configuration configuration = new Configuration();
    configuration.setString("parallelism.default", String.valueOf(config.parallelism()));
    if (config.checkpointInterval().equals("default")) {
      // the same interval the starter would give the streamlet
      configuration.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.exactlyOnce()
          ? StreamletRunner.DEFAULT_EXACTLY_ONCE_CHECKPOINT_INTERVAL
          : StreamletRunner.DEFAULT_CHECKPOINT_INTERVAL);
    } else {
      configuration.setString("execution.checkpointing.interval", config.checkpointInterval());
    }
    config.withPrefix("flink.").forEach(configuration::setString);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);

    Properties consumer = new Properties();
    consumer.putAll(config.withPrefix("consumer."));
    KafkaSource<BenchRecord> source = KafkaSource.<BenchRecord>builder()
        .setProperties(consumer)
        .setBootstrapServers(config.bootstrapServers())
        .setTopics(config.inputTopic())
        .setGroupId("bench-" + config.runId())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setValueOnlyDeserializer(AvroDeserializationSchema.forSpecific(BenchRecord.class))
        .build();

    Properties producer = new Properties();
    producer.putAll(config.withPrefix("producer."));
    KafkaSinkBuilder<BenchRecord> sink = KafkaSink.<BenchRecord>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setKafkaProducerConfig(producer)
        .setRecordSerializer(KafkaRecordSerializationSchema.<BenchRecord>builder()
            .setTopic(config.outputTopic())
            .setKeySerializationSchema((BenchRecord record) -> record.getKey().getBytes(StandardCharsets.UTF_8))
            .setValueSerializationSchema(AvroSerializationSchema.forSpecific(BenchRecord.class))
            .build());
    if (config.exactlyOnce()) {
      producer.putIfAbsent("transaction.timeout.ms", "600000");
      sink.setKafkaProducerConfig(producer)
          .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
          .setTransactionalIdPrefix("bench-" + config.runId());
    } else {
      sink.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
    }

    env.fromSource(source, WatermarkStrategy.noWatermarks(), "source").sinkTo(sink.build()).name("sink");
    JobClient client = env.executeAsync("flink-pass-through");
    client.getJobExecutionResult().whenComplete((result, error) ->
        say("ERROR the job ended: " + (error == null ? "finished" : oneLine(error))));
    return CompletableFuture.runAsync(() -> {
      try {
        while (client.getJobStatus().get() != JobStatus.RUNNING) {
          TimeUnit.MILLISECONDS.sleep(50);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
