package cloudflow.flink.runtime;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.StreamletExecution;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.kafka.KafkaStreamletContext;
import cloudflow.streamlets.StreamletPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one streamlet as a Flink job on Kafka: checks that every port has a topic, builds the
 * {@link KafkaStreamletContext}, creates the logic, builds the graph and submits it without
 * blocking ({@code executeAsync}).
 */
public final class StreamletRunner {

  private static final Logger log = LoggerFactory.getLogger(StreamletRunner.class);

  private static String emptyClassPathEntry;

  private final KafkaSettings kafka;
  private final Configuration flinkConfiguration;
  private final Duration statusPollInterval;

  /**
   * Creates a runner.
   *
   * @param kafka how to reach Kafka
   * @param flinkConfiguration the Flink settings of every job this runner submits
   */
  public StreamletRunner(KafkaSettings kafka, Configuration flinkConfiguration) {
    this(kafka, flinkConfiguration, Duration.ofMillis(250));
  }

  StreamletRunner(KafkaSettings kafka, Configuration flinkConfiguration, Duration statusPollInterval) {
    this.kafka = kafka;
    this.flinkConfiguration = flinkConfiguration;
    this.statusPollInterval = statusPollInterval;
  }

  /**
   * The configuration of one job. A job without jars or class path entries is loaded by Flink's
   * local cluster with the system class loader, which cannot see the application's classes when it
   * was launched from a nested jar (Spring Boot's {@code java -jar}); an (empty) class path entry
   * makes Flink create a user-code class loader whose parent is the one that loaded Flink and the
   * application.
   */
  private Configuration jobConfiguration() {
    Configuration configuration = new Configuration(flinkConfiguration);
    boolean customClassLoader = StreamletRunner.class.getClassLoader() != ClassLoader.getSystemClassLoader();
    if (customClassLoader && !configuration.contains(PipelineOptions.CLASSPATHS)) {
      configuration.set(PipelineOptions.CLASSPATHS, List.of(emptyClassPathEntry()));
    }
    return configuration;
  }

  private static synchronized String emptyClassPathEntry() {
    if (emptyClassPathEntry == null) {
      try {
        Path dir = Files.createTempDirectory("cloudflow-flink-classpath");
        dir.toFile().deleteOnExit();
        emptyClassPathEntry = dir.toUri().toURL().toString();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create an empty class path directory", e);
      }
    }
    return emptyClassPathEntry;
  }

  /**
   * Submits the streamlet's job and returns at once.
   *
   * @throws IllegalArgumentException when an inlet of the streamlet has no topic (an outlet without
   *     one has its records dropped)
   * @throws StreamletSubmissionException when the job cannot be built or submitted
   */
  public StreamletExecution run(FlinkStreamlet streamlet, StreamletDefinition definition) {
    List<String> unmapped =
        streamlet.shape().inlets().stream()
            .map(StreamletPort::name)
            .filter(port -> !definition.portMappings().containsKey(port))
            .toList();
    if (!unmapped.isEmpty()) {
      throw new IllegalArgumentException(
          "Streamlet '" + definition.streamletRef() + "' has inlets without a topic: " + unmapped);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration());
    KafkaStreamletContext context =
        new KafkaStreamletContext(
            env,
            definition.applicationId(),
            definition.streamletRef(),
            streamlet.shape(),
            definition.portMappings(),
            definition.config(),
            kafka);
    FlinkStreamletLogic logic = streamlet.createLogic(context);
    try {
      logic.buildExecutionGraph();
      JobClient client = env.executeAsync(definition.streamletRef());
      log.info(
          "Submitted streamlet '{}' as Flink job {} (ports {})",
          definition.streamletRef(),
          client.getJobID(),
          definition.portMappings());
      return new FlinkJobExecution(definition.streamletRef(), client, statusPollInterval);
    } catch (Exception e) {
      throw new StreamletSubmissionException(
          "Cannot submit streamlet '" + definition.streamletRef() + "': " + e.getMessage(), e);
    }
  }
}
