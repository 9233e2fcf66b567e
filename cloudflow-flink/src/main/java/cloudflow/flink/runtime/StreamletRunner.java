package cloudflow.flink.runtime;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.StreamletExecution;
import cloudflow.flink.kafka.BadRecordHandling;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.kafka.KafkaStreamletContext;
import cloudflow.flink.kafka.TopicCreator;
import cloudflow.flink.kafka.ExactlyOnceCheck;
import cloudflow.streamlets.StreamletPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one streamlet as a Flink job on Kafka: checks that every inlet has a topic, builds the
 * {@link KafkaStreamletContext}, creates the logic, builds the graph and submits it without
 * blocking ({@code executeAsync}).
 *
 * <p>With a checkpoint directory ({@code execution.checkpointing.dir}) each streamlet gets a directory
 * of its own there, its checkpoints are retained on cancellation, its savepoints go next to them, and
 * a restarted process resumes from the newest complete one (see {@link CheckpointRecovery}).
 */
public final class StreamletRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamletRunner.class);

  /**
   * Checkpoint interval of an at-least-once streamlet unless configured: Kafka offsets are committed
   * on checkpoints, so this bounds what a restart reads again.
   */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

  /**
   * Checkpoint interval of an exactly-once streamlet unless configured: its output becomes visible
   * only when the checkpoint commits the transaction, so this is its latency; 10 s halved the
   * throughput measured in {@code benchmarks}, 1 s costs little.
   */
  public static final Duration DEFAULT_EXACTLY_ONCE_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  private static String emptyClassPathEntry;

  private final KafkaSettings kafka;
  private final Configuration flinkConfiguration;
  private final ExecutionTarget target;
  private final Duration statusPollInterval;
  private final Map<String, EarlyMiniCluster> earlyClusters = new ConcurrentHashMap<>();

  /**
   * Creates a runner whose jobs run in this JVM.
   *
   * @param kafka how to reach Kafka
   * @param flinkConfiguration the Flink settings of every job this runner submits
   */
  public StreamletRunner(KafkaSettings kafka, Configuration flinkConfiguration) {
    this(kafka, flinkConfiguration, ExecutionTarget.local());
  }

  /**
   * Creates a runner.
   *
   * @param kafka how to reach Kafka
   * @param flinkConfiguration the Flink settings of every job this runner submits
   * @param target where the jobs run
   */
  public StreamletRunner(KafkaSettings kafka, Configuration flinkConfiguration, ExecutionTarget target) {
    this.kafka = kafka;
    this.flinkConfiguration = flinkConfiguration;
    this.target = target;
    this.statusPollInterval = Duration.ofMillis(250);
  }

  /**
   * Submits the streamlet's job and returns at once.
   *
   * @throws IllegalArgumentException when an inlet of the streamlet has no topic (an outlet without
   *     one has its records dropped), or exactly-once is asked for with a transaction timeout the
   *     broker does not allow
   * @throws StreamletSubmissionException when the job cannot be built or submitted
   */
  public StreamletExecution run(FlinkStreamlet streamlet, StreamletDefinition definition) {
    EarlyMiniCluster early = earlyClusters.remove(definition.streamletRef());
    try {
      return submit(streamlet, definition, early);
    } finally {
      // unless the job took it: a failed submission leaves no cluster behind
      if (early != null) {
        early.closeUnused();
      }
    }
  }

  /**
   * Starts the local Flink cluster of the streamlet's job now, on a thread of its own, for
   * {@link #run} to use, so that Flink starts while the application does. Does nothing when the job
   * does not run in a local cluster of this runner's (a remote target, or an environment set by
   * Flink's client or a test cluster). {@link #close} shuts down a cluster no job has taken.
   */
  public void startClusterEarly(StreamletDefinition definition) {
    if (!target.isLocal() || earlyClusters.containsKey(definition.streamletRef())) {
      return;
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobSettings(definition));
    if (env instanceof LocalStreamEnvironment) {
      earlyClusters.put(definition.streamletRef(), EarlyMiniCluster.startFor(env.getConfiguration(), definition.streamletRef()));
    }
  }

  /** Shuts down the clusters started early that no job has taken. */
  @Override
  public void close() {
    earlyClusters.values().forEach(EarlyMiniCluster::closeUnused);
    earlyClusters.clear();
  }

  private StreamletExecution submit(FlinkStreamlet streamlet, StreamletDefinition definition, EarlyMiniCluster early) {
    List<String> unmapped =
        streamlet.shape().inlets().stream()
            .map(StreamletPort::name)
            .filter(port -> !definition.portMappings().containsKey(port))
            .toList();
    if (!unmapped.isEmpty()) {
      throw new IllegalArgumentException(
          "Streamlet '" + definition.streamletRef() + "' has inlets without a topic: " + unmapped);
    }
    if (definition.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
      ExactlyOnceCheck.check(kafka);
    }
    List<String> topics = new ArrayList<>(definition.portMappings().values());
    streamlet.shape().inlets().stream()
        .map(inlet -> definition.badRecordsOf(inlet.name()))
        .filter(handling -> handling.policy() == BadRecordHandling.Policy.DEAD_LETTER)
        .forEach(handling -> topics.add(handling.deadLetterTopic()));
    TopicCreator.createMissing(kafka, topics);
    Configuration configuration = jobConfiguration(definition);
    StreamExecutionEnvironment env;
    if (target.isLocal()) {
      env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
      if (early != null && env instanceof LocalStreamEnvironment) {
        env = early.environment(env.getConfiguration());
      }
    } else {
      env = StreamExecutionEnvironment.createRemoteEnvironment(
          target.host(), target.port(), configuration, target.jars().toArray(String[]::new));
    }
    KafkaStreamletContext context = new KafkaStreamletContext(env, definition, streamlet.shape(), kafka);
    FlinkStreamletLogic logic = streamlet.createLogic(context);
    try {
      logic.buildExecutionGraph();
      JobClient client = env.executeAsync(definition.streamletRef());
      log.info(
          "Submitted streamlet '{}' as Flink job {} ({}, {}, ports {})",
          definition.streamletRef(),
          client.getJobID(),
          target,
          definition.deliveryGuarantee(),
          definition.portMappings());
      // given explicitly: a session cluster looks for a default only in its own configuration
      String savepointDirectory = configuration.getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY).orElse(null);
      return new FlinkJobExecution(definition.streamletRef(), client, statusPollInterval, savepointDirectory);
    } catch (Exception e) {
      throw new StreamletSubmissionException(
          "Cannot submit streamlet '" + definition.streamletRef() + "': " + e.getMessage(), e);
    }
  }

  /**
   * The configuration of one streamlet's job: the runner's, the streamlet's own, the default
   * checkpoint interval if neither sets one, then recovery.
   */
  Configuration jobConfiguration(StreamletDefinition definition) {
    Configuration configuration = jobSettings(definition);
    configuration.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
        .ifPresent(directory -> configureRecovery(configuration, directory, definition));
    return configuration;
  }

  /** The runner's configuration, the streamlet's own settings and the defaults they leave to the runner. */
  private Configuration jobSettings(StreamletDefinition definition) {
    Configuration configuration = new Configuration(flinkConfiguration);
    definition.flinkSettings().forEach(configuration::setString);
    if (!configuration.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)) {
      configuration.set(CheckpointingOptions.CHECKPOINTING_INTERVAL,
          definition.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE
              ? DEFAULT_EXACTLY_ONCE_CHECKPOINT_INTERVAL
              : DEFAULT_CHECKPOINT_INTERVAL);
    }
    // A job without jars or class path entries is loaded by Flink's local cluster with the system
    // class loader, which cannot see the application's classes when it was launched from a nested
    // jar (Spring Boot's java -jar); an (empty) class path entry makes Flink create a user-code class
    // loader whose parent is the one that loaded Flink and the application.
    boolean customClassLoader =
        target.isLocal() && StreamletRunner.class.getClassLoader() != ClassLoader.getSystemClassLoader();
    if (customClassLoader && !configuration.contains(PipelineOptions.CLASSPATHS)) {
      configuration.set(PipelineOptions.CLASSPATHS, List.of(emptyClassPathEntry()));
    }
    return configuration;
  }

  private static void configureRecovery(Configuration configuration, String directory, StreamletDefinition definition) {
    Path streamletDirectory = CheckpointRecovery.streamletDirectory(
        directory, CheckpointRecovery.streamletId(definition.applicationId(), definition.streamletRef()));
    // Flink puts each run's checkpoints in <checkpoint dir>/<job-id>: all runs of this streamlet share one parent
    configuration.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, streamletDirectory.toString());
    if (!configuration.contains(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION)) {
      configuration.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    }
    if (!configuration.contains(CheckpointingOptions.SAVEPOINT_DIRECTORY)) {
      configuration.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, CheckpointRecovery.savepointDirectory(streamletDirectory).toString());
    }
    if (configuration.contains(StateRecoveryOptions.SAVEPOINT_PATH)) {
      log.info("Streamlet '{}' restores from {} (execution.state-recovery.path)", definition.streamletRef(),
          configuration.get(StateRecoveryOptions.SAVEPOINT_PATH));
      return;
    }
    Optional<Path> restorePoint = CheckpointRecovery.newestRestorePoint(streamletDirectory);
    int keep = Math.max(1, configuration.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS));
    int pruned = CheckpointRecovery.prune(streamletDirectory, keep, restorePoint);
    if (restorePoint.isPresent()) {
      configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePoint.get().toString());
      // the job takes ownership: the restored checkpoint is deleted once newer ones subsume it
      configuration.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
      log.info("Streamlet '{}' resumes from {}{}", definition.streamletRef(), restorePoint.get(),
          pruned > 0 ? " (deleted " + pruned + " older checkpoints/savepoints)" : "");
    } else {
      log.info("Streamlet '{}' starts without state: no checkpoint or savepoint in {}", definition.streamletRef(),
          streamletDirectory);
    }
  }

  private static synchronized String emptyClassPathEntry() {
    if (emptyClassPathEntry == null) {
      try {
        java.nio.file.Path dir = Files.createTempDirectory("cloudflow-flink-classpath");
        dir.toFile().deleteOnExit();
        emptyClassPathEntry = dir.toUri().toURL().toString();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create an empty class path directory", e);
      }
    }
    return emptyClassPathEntry;
  }
}
