package cloudflow.flink.runtime;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.JobSetup;
import cloudflow.flink.StreamletExecution;
import cloudflow.flink.kafka.ExactlyOnceCheck;
import cloudflow.flink.kafka.KafkaClusters;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.kafka.KafkaStreamletContext;
import cloudflow.flink.kafka.TopicCreator;
import cloudflow.flink.plan.BadRecordHandling;
import cloudflow.flink.plan.SettingNames;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.plan.StreamletOptions;
import cloudflow.flink.plan.TopicSettings;
import cloudflow.flink.startup.InletWithoutTopicException;
import cloudflow.flink.startup.LocalClusterPortException;
import cloudflow.flink.startup.StreamletStartupException;
import cloudflow.streamlets.StreamletPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one streamlet as a Flink job on Kafka: checks that every inlet has a topic, builds the
 * {@link KafkaStreamletContext}, creates the logic, builds the graph and submits it without
 * blocking ({@code executeAsync}).
 *
 * <p>The job's configuration is layered by {@link JobConfigurationPlan}: explicit settings, then (when
 * Flink runs the application) the cluster's, then the {@linkplain StreamletJobDefaults defaults}. With
 * a checkpoint directory outside a Flink cluster, each streamlet gets a directory of its own there,
 * its checkpoints are retained on cancellation, its savepoints go next to them, and a restarted
 * process resumes from the newest complete one (see {@link CheckpointRecovery}).
 */
public final class StreamletRunner implements StreamletJobs {

  private static final Logger log = LoggerFactory.getLogger(StreamletRunner.class);

  /** Checkpoint interval of an at-least-once streamlet unless configured (see {@link StreamletJobDefaults}). */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = StreamletJobDefaults.AT_LEAST_ONCE_CHECKPOINT_INTERVAL;

  /** Checkpoint interval of an exactly-once streamlet unless configured (see {@link StreamletJobDefaults}). */
  public static final Duration DEFAULT_EXACTLY_ONCE_CHECKPOINT_INTERVAL = StreamletJobDefaults.EXACTLY_ONCE_CHECKPOINT_INTERVAL;

  /**
   * How long stopping a job that is still starting waits for its tasks to run before it takes the
   * savepoint (a stop with savepoint fails while a task is not running); within the default
   * {@code cloudflow.shutdown-timeout} of 30 s, leaving time for the savepoint.
   */
  public static final Duration STOP_WAITS_FOR_TASKS = Duration.ofSeconds(15);

  /** How long {@link #close} waits for the local clusters to shut down. */
  static final Duration CLUSTER_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  private static String emptyClassPathEntry;

  private final KafkaClusters kafka;
  private final Configuration flinkConfiguration;
  private final Configuration localDefaults;
  private final ExecutionTarget target;
  private final Duration statusPollInterval;
  private volatile SettingNames settingNames = SettingNames.PATHS;
  /** Every local cluster this runner started, to shut down (and wait for) on {@link #close}. */
  private final List<EarlyMiniCluster> clusters = new CopyOnWriteArrayList<>();
  /** Whether {@link #close()} was called: no local cluster starts after it; guarded by this. */
  private boolean closed;
  /** This process's temporary directory while this runner may start local clusters, else null. */
  private final ProcessTempDirectory tempDirectory;
  private RpcSystem rpcSystem;
  private final AtomicBoolean closedTempDirectory = new AtomicBoolean();
  private final Map<String, CompletableFuture<Prepared>> prepared = new ConcurrentHashMap<>();

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
    this(kafka, flinkConfiguration, new Configuration(), target);
  }

  /**
   * Creates a runner.
   *
   * @param kafka how to reach Kafka
   * @param flinkConfiguration the Flink settings the user asked for, for every job this runner
   *     submits: they win over the cluster's and the defaults
   * @param localDefaults defaults for jobs in a Flink cluster of this JVM only (a checkpoint directory
   *     on this machine, a reporter into this process's metrics), each used where nothing else sets it
   * @param target where the jobs run
   */
  public StreamletRunner(
      KafkaSettings kafka, Configuration flinkConfiguration, Configuration localDefaults, ExecutionTarget target) {
    this(KafkaClusters.of(kafka), flinkConfiguration, localDefaults, target);
  }

  /**
   * Creates a runner for an application whose topics live on several Kafka clusters.
   *
   * @param clusters how to reach each Kafka cluster; each topic's sources, sinks and admin clients use
   *     its own cluster's settings
   * @param flinkConfiguration the Flink settings the user asked for, for every job this runner
   *     submits: they win over the cluster's and the defaults
   * @param localDefaults defaults for jobs in a Flink cluster of this JVM only
   * @param target where the jobs run
   */
  public StreamletRunner(
      KafkaClusters clusters, Configuration flinkConfiguration, Configuration localDefaults, ExecutionTarget target) {
    this.kafka = clusters;
    this.flinkConfiguration = new Configuration(flinkConfiguration);
    this.localDefaults = new Configuration(localDefaults);
    this.target = target;
    this.statusPollInterval = Duration.ofMillis(250);
    // a local cluster's files go to this process's directory, deleted on close, not loose in java.io.tmpdir
    this.tempDirectory = target.isLocal() ? ProcessTempDirectory.acquire() : null;
    if (tempDirectory != null) {
      String flinkTemp = tempDirectory.subdirectory("flink").toString();
      for (ConfigOption<String> option : List.of(CoreOptions.TMP_DIRS, WebOptions.TMP_DIR)) {
        if (!this.localDefaults.contains(option)) {
          this.localDefaults.set(option, flinkTemp);
        }
      }
    }
  }

  /**
   * Sets how this runner's messages spell the settings that fix a failure (by default as the planner's
   * paths, {@code streamlets.<name>.restore-from}; the Spring Boot starter spells them as properties).
   *
   * @return this runner
   */
  public StreamletRunner settingNames(SettingNames names) {
    this.settingNames = names;
    return this;
  }

  /**
   * Submits the streamlet's job and returns at once. A streamlet submitted again (its previous job
   * ended: a resume, a restart) gets a new local cluster, and the previous one is shut down first.
   *
   * @throws cloudflow.flink.startup.StreamletStartupException when the streamlet cannot start as
   *     configured: an inlet without a topic (an outlet without one has its records dropped), exactly-once
   *     with a transaction timeout the brokers do not allow or brokers too old for it, refused credentials,
   *     a restore point holding state that no operator of the new job claims
   * @throws StreamletSubmissionException when the job cannot be built or submitted
   */
  @Override
  public StreamletExecution run(FlinkStreamlet streamlet, StreamletDefinition definition) {
    CompletableFuture<Prepared> preparation = prepared.remove(definition.streamletRef());
    if (preparation == null) {
      return submitPrepared(definition, prepareNow(streamlet, definition));
    }
    Prepared ready;
    try {
      ready = preparation.join();
    } catch (CompletionException e) {
      // the typed startup and submission errors, as a preparation on this thread would have thrown them
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
    return ready.submitted() != null ? ready.submitted() : submitPrepared(definition, ready.job());
  }

  /** Submits a prepared job; a failed submission leaves no cluster behind. */
  private StreamletExecution submitPrepared(StreamletDefinition definition, PreparedJob job) {
    try {
      return submit(definition, job);
    } finally {
      // unless the job took it
      if (job.early() != null) {
        job.early().closeUnused();
      }
    }
  }

  /**
   * Prepares the streamlet's job on a thread of its own, for {@link #run} to take, so that it
   * overlaps with the rest of the application's startup: the
   * topic and exactly-once checks, topic creation, the job's configuration (including the scan for
   * the checkpoint to resume from), its local Flink cluster (started on one more thread) and its
   * graph. A job that runs in a local cluster is submitted there as soon as it is prepared: its tasks
   * start while the application still does ({@link #run} hands out its execution; until then
   * {@link #takeSubmittedAhead} reaches it). A job for a remote cluster is submitted by {@link #run}.
   * Inside a Flink cluster nothing is prepared ahead (the job's environment is Flink's). Whatever fails
   * is thrown by {@link #run}, as it would have been without preparation.
   */
  @Override
  public void prepare(FlinkStreamlet streamlet, StreamletDefinition definition) {
    if (target.kind() == ExecutionTarget.Kind.FLINK_CLUSTER || prepared.containsKey(definition.streamletRef())) {
      return;
    }
    CompletableFuture<Prepared> job = new CompletableFuture<>();
    prepared.put(definition.streamletRef(), job);
    Thread thread = new Thread(() -> {
      try {
        PreparedJob ready = prepareNow(streamlet, definition);
        job.complete(target.isLocal() && !job.isDone()
            ? new Prepared(ready, submitPrepared(definition, ready)) : new Prepared(ready, null));
      } catch (Throwable e) {
        job.completeExceptionally(e);
      }
    }, "cloudflow-prepare-" + definition.streamletRef());
    // Flink and the streamlet load classes through the context class loader: the application's
    thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
    thread.setDaemon(true);
    thread.start();
  }

  /** The local cluster of a job with this configuration, started on a thread of its own; null if it runs elsewhere. */
  private EarlyMiniCluster startCluster(String streamletRef, Configuration configuration) {
    if (!target.isLocal()) {
      return null;
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
    if (!(env instanceof LocalStreamEnvironment)) {
      return null;
    }
    releaseEarlierClusters(streamletRef);
    synchronized (this) {
      // a preparation still under way when the runner closed (a failed start, a SIGTERM) starts none:
      // close() has taken its list of clusters to shut down, and a cluster left running keeps the JVM up
      if (closed) {
        throw new IllegalStateException("Streamlet '" + streamletRef + "' gets no local Flink cluster: the application is stopping");
      }
      EarlyMiniCluster cluster =
          EarlyMiniCluster.startFor(env.getConfiguration(), streamletRef, () -> Reference.borrowed(rpcSystem()));
      clusters.add(cluster);
      return cluster;
    }
  }

  /**
   * Shuts down and forgets the local clusters of a streamlet's earlier jobs, which have ended (it is
   * submitted again by a resume or a restart), and waits for them: Flink closes a job's cluster
   * without waiting once the job ends, and the new cluster binds the same REST port when one is set.
   * Nor does the list of clusters grow with every restart.
   */
  private void releaseEarlierClusters(String streamletRef) {
    List<EarlyMiniCluster> earlier = clusters.stream().filter(c -> c.streamletRef().equals(streamletRef)).toList();
    if (earlier.isEmpty()) {
      return;
    }
    clusters.removeAll(earlier);
    try {
      CompletableFuture.allOf(earlier.stream().map(EarlyMiniCluster::shutDown).toArray(CompletableFuture[]::new))
          .get(CLUSTER_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("The local Flink cluster of the previous job of streamlet '{}' did not shut down within {}: {}", streamletRef,
          CLUSTER_SHUTDOWN_TIMEOUT, e.toString());
    }
  }

  /** The RPC system of this runner's local clusters: one for all of them, loaded by the first. */
  private synchronized RpcSystem rpcSystem() {
    if (rpcSystem == null) {
      rpcSystem = LocalRpcSystem.load(ProcessTempDirectory.root(), new Configuration(localDefaults));
    }
    return rpcSystem;
  }

  /**
   * The jobs submitted ahead ({@link #prepare}) that {@link #run} has not handed out, such as on a
   * SIGTERM while the application starts, for the caller to stop: waits up to {@code wait} for
   * preparations still under way, and hands out none of them again.
   */
  @Override
  public List<StreamletExecution> takeSubmittedAhead(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    List<StreamletExecution> submitted = new ArrayList<>();
    for (String streamletRef : List.copyOf(prepared.keySet())) {
      CompletableFuture<Prepared> preparation = prepared.remove(streamletRef);
      if (preparation == null) {
        continue;
      }
      try {
        Prepared ready = preparation.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (ready.submitted() != null) {
          submitted.add(ready.submitted());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        // it failed before its job ran: nothing to stop
      } catch (TimeoutException e) {
        // still preparing: close() shuts its cluster down, and a job it submits later goes with it
        preparation.cancel(false);
        log.warn("Streamlet '{}' was still being prepared after {}; its local cluster is shut down without a savepoint",
            streamletRef, wait);
      }
    }
    return submitted;
  }

  /**
   * Shuts down the local clusters this runner started (a job still running there is cancelled: stop
   * the jobs first), waits up to {@link #CLUSTER_SHUTDOWN_TIMEOUT} for them, then deletes their
   * temporary files.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    // a job prepared (or submitted) ahead and never handed out goes with its cluster, shut down below with the others
    prepared.values().forEach(preparation -> preparation.cancel(false));
    prepared.clear();
    CompletableFuture<?>[] shutdowns = clusters.stream().map(EarlyMiniCluster::shutDown).toArray(CompletableFuture[]::new);
    clusters.clear();
    boolean shutDown = false;
    try {
      CompletableFuture.allOf(shutdowns).get(CLUSTER_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      shutDown = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Local Flink clusters did not shut down cleanly within {}: {}", CLUSTER_SHUTDOWN_TIMEOUT, e.toString());
    }
    synchronized (this) {
      // never under a cluster still shutting down: its RPC threads would fail to load classes, and Flink exits the JVM
      if (rpcSystem != null && shutDown) {
        rpcSystem.close();
        rpcSystem = null;
      }
    }
    if (tempDirectory != null && closedTempDirectory.compareAndSet(false, true)) {
      tempDirectory.release();
    }
  }

  /** A job prepared ahead, and its execution when it was submitted ahead too (else null). */
  private record Prepared(PreparedJob job, StreamletExecution submitted) {}

  /** A streamlet's job, ready to submit: its settings, its environment with the graph built, and its local cluster. */
  private record PreparedJob(JobConfigurationPlan plan, Configuration configuration, StreamExecutionEnvironment env,
      StreamGraph graph, RestoreCheck restore, EarlyMiniCluster early) {}

  private PreparedJob prepareNow(FlinkStreamlet streamlet, StreamletDefinition definition) {
    List<String> unmapped =
        streamlet.shape().inlets().stream()
            .map(StreamletPort::name)
            .filter(port -> !definition.portMappings().containsKey(port))
            .toList();
    if (!unmapped.isEmpty()) {
      throw new InletWithoutTopicException(definition.streamletRef(), unmapped);
    }
    // computed once: it scans the checkpoint directory for the checkpoint to resume from
    JobConfigurationPlan plan = plan(definition);
    Configuration configuration = withClassPath(plan.configuration());
    // started here, before the topics are checked, so that Flink starts while Kafka is asked
    EarlyMiniCluster early = startCluster(definition.streamletRef(), configuration);
    try {
      prepareTopics(streamlet, definition);
      StreamExecutionEnvironment env;
      if (target.kind() != ExecutionTarget.Kind.REMOTE) {
        // inside a Flink cluster this is Flink's context environment, which lays the configuration over the cluster's
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
      } catch (Exception e) {
        throw new StreamletSubmissionException(
            "Cannot submit streamlet '" + definition.streamletRef() + "': " + e.getMessage(), e);
      }
      // checked on a graph of its own, made before the context's takes the transformations: compiling
      // the submitted graph to a job graph would leave it unfit for a remote cluster's submission
      StreamExecutionEnvironment built = env;
      RestoreCheck restore = checkRestore(streamlet, definition, configuration, () -> built.getStreamGraph(false));
      // the context's graph: without Flink's copy of records only one operator sees
      StreamGraph graph = context.streamGraph();
      graph.setJobName(definition.streamletRef());
      return new PreparedJob(plan, configuration, env, graph, restore, early);
    } catch (RuntimeException | Error e) {
      if (early != null) {
        early.closeUnused();
      }
      throw e;
    }
  }

  /** Checks that the brokers allow exactly-once where asked, and creates the streamlet's topics. */
  private void prepareTopics(FlinkStreamlet streamlet, StreamletDefinition definition) {
    List<TopicSettings> topics = new ArrayList<>();
    definition.portMappings().values().stream().distinct().forEach(topic -> topics.add(definition.topicSettings(topic)));
    // the topics this streamlet's sinks write: its outlets' and its dead-letter topics
    List<TopicSettings> written = new ArrayList<>();
    streamlet.shape().outlets().stream()
        .map(outlet -> definition.portTopicSettings(outlet.name()))
        .filter(java.util.Objects::nonNull)
        .forEach(written::add);
    streamlet.shape().inlets().stream()
        .filter(inlet -> definition.badRecordsOf(inlet.name()).policy() == BadRecordHandling.Policy.DEAD_LETTER)
        .forEach(inlet -> {
          topics.add(definition.deadLetterTopicSettings(inlet.name()));
          written.add(definition.deadLetterTopicSettings(inlet.name()));
        });
    if (definition.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
      // Each sink's transactions live on its own topic's cluster and Flink commits them all after a
      // checkpoint, with the sources' offsets in the checkpoint, not in Kafka: sinks on several
      // clusters are as exactly-once as several sinks on one. Each of those clusters must allow it.
      for (TopicSettings topic : written) {
        ExactlyOnceCheck.check(kafka.forTopic(topic), definition.streamletRef());
      }
    }
    TopicCreator.prepare(definition.streamletRef(), kafka, topics);
  }

  private StreamletExecution submit(StreamletDefinition definition, PreparedJob job) {
    Configuration configuration = job.configuration();
    EarlyMiniCluster early = job.early();
    log.info("Streamlet '{}' job settings ({}): {}", definition.streamletRef(), target, job.plan().describe());
    try {
      JobClient client = job.env().executeAsync(job.graph());
      log.info(
          "Submitted streamlet '{}' as Flink job {} ({}, {}, ports {})",
          definition.streamletRef(),
          client.getJobID(),
          target,
          definition.deliveryGuarantee(),
          definition.portMappings());
      configuration.getOptional(StateRecoveryOptions.SAVEPOINT_PATH)
          .filter(restored -> definition.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE)
          .ifPresent(restored -> log.info(
              "Streamlet '{}' restores exactly-once state from {}: Flink commits the Kafka transactions recorded there "
                  + "again. For one that was committed before the stop (its pooled transactional id since reused), Flink's "
                  + "KafkaCommitter logs 'Unable to commit transaction ... producer is already fenced ... most likely "
                  + "signals data loss': during this recovery that is expected and loses nothing, its records are in "
                  + "Kafka. Outside a recovery, or when another job writes with the same transactional id prefix, it "
                  + "does mean data loss.",
              definition.streamletRef(), restored));
      if (target.kind() == ExecutionTarget.Kind.FLINK_CLUSTER) {
        // whoever deployed the cluster stops the job (with the savepoint or checkpoint it chooses), not our shutdown
        return new FlinkJobExecution(definition.streamletRef(), client, statusPollInterval, null, false)
            .withState(state(configuration));
      }
      // given explicitly: a session cluster looks for a default only in its own configuration
      String savepointDirectory = configuration.getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY).orElse(null);
      FlinkJobExecution execution = new FlinkJobExecution(definition.streamletRef(), client, statusPollInterval,
          savepointDirectory, true, jobTasks(early, configuration), STOP_WAITS_FOR_TASKS)
          .withState(state(configuration));
      RestoreCheck restore = job.restore();
      if (restore != null) {
        RestoreWatch watch = RestoreWatch.start(restore, early == null ? null : early.jobCluster(), client.getJobID(),
            configuration.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).orElse(null), settingNames,
            execution::abort);
        execution.ready().thenRun(watch::restored);
        execution.completed().whenComplete((ignored, failure) -> watch.close());
      }
      return execution;
    } catch (StreamletStartupException e) {
      throw e;
    } catch (Exception e) {
      Optional<ConfigOption<?>> restPort = early == null ? Optional.empty() : EarlyMiniCluster.restPortOption(configuration);
      if (restPort.isPresent() && ExceptionUtils.findThrowable(e, BindException.class).isPresent()) {
        throw new LocalClusterPortException(definition.streamletRef(), restPort.get().key(),
            String.valueOf(configuration.get(restPort.get())), e);
      }
      throw new StreamletSubmissionException(
          "Cannot submit streamlet '" + definition.streamletRef() + "': " + e.getMessage(), e);
    }
  }

  /** What the job's execution reports about its setup and manages on disk (retention, periodic savepoints). */
  private StreamletState state(Configuration configuration) {
    boolean insideCluster = target.kind() == ExecutionTarget.Kind.FLINK_CLUSTER;
    String mode = switch (target.kind()) {
      case LOCAL -> "local";
      case REMOTE -> "remote";
      case FLINK_CLUSTER -> "application";
    };
    // inside a Flink cluster the directories and the restore path are the cluster's, not known here
    String directory = insideCluster ? null : configuration.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).orElse(null);
    JobSetup setup = new JobSetup(mode, configuration.getOptional(CoreOptions.DEFAULT_PARALLELISM).orElse(null),
        insideCluster ? null : configuration.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).orElse(null), directory);
    return new StreamletState(setup, directory == null ? null : new org.apache.flink.core.fs.Path(directory),
        Retention.of(configuration), configuration.get(StreamletOptions.SAVEPOINT_INTERVAL));
  }

  /**
   * Compares the restore point with the new job before it is submitted (outside a Flink cluster, whose
   * deployer chooses the restore point): refuses state that no operator claims unless dropping it is
   * allowed, and then says what is dropped. Returns {@code null} when there is nothing to restore or
   * the restore point cannot be read from this process (Flink then decides on its own).
   */
  private RestoreCheck checkRestore(FlinkStreamlet streamlet, StreamletDefinition definition,
      Configuration configuration, Supplier<StreamGraph> graphs) {
    String path = configuration.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).orElse(null);
    if (path == null || target.kind() == ExecutionTarget.Kind.FLINK_CLUSTER) {
      return null;
    }
    ClassLoader classLoader = streamlet.getClass().getClassLoader();
    RestorePoint point;
    try {
      point = RestorePoint.read(path, classLoader);
    } catch (RuntimeException e) {
      // e.g. a path only the cluster can read: Flink's own check at submission still applies
      log.warn("Streamlet '{}': cannot read restore point {} here ({}); Flink checks it when the job starts",
          definition.streamletRef(), path, e.getCause() == null ? e.toString() : e.getCause().toString());
      return null;
    }
    StreamGraph graph = graphs.get();
    RestoreCheck check = RestoreCheck.of(definition.streamletRef(), point, graph, graph.getJobGraph(classLoader, null));
    if (!check.unclaimed().isEmpty()) {
      if (!configuration.get(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE)) {
        throw check.refusal(settingNames);
      }
      log.warn(check.droppedWarning(settingNames));
    }
    return check;
  }

  /** Where the states of a job's tasks come from: the local cluster it runs on, or the remote cluster's REST API. */
  private JobTasks jobTasks(EarlyMiniCluster early, Configuration configuration) {
    if (target.kind() == ExecutionTarget.Kind.REMOTE) {
      return JobTasks.rest(configuration, target.host(), target.port());
    }
    // null for a job on a cluster someone else started (a test cluster's environment): its status decides
    return early == null || early.jobCluster() == null ? null : JobTasks.of(early.jobCluster());
  }

  /** The configuration of one streamlet's job, as it is submitted. */
  Configuration jobConfiguration(StreamletDefinition definition) {
    return withClassPath(plan(definition).configuration());
  }

  private JobConfigurationPlan plan(StreamletDefinition definition) {
    ReadableConfig cluster = target.kind() == ExecutionTarget.Kind.FLINK_CLUSTER
        ? StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration()
        : new Configuration();
    return JobConfigurationPlan.plan(target, cluster, flinkConfiguration, localDefaults, definition);
  }

  /**
   * A job without jars or class path entries is loaded by Flink's local cluster with the system class
   * loader, which cannot see the application's classes when it was launched from a nested jar (Spring
   * Boot's java -jar); an (empty) class path entry makes Flink create a user-code class loader whose
   * parent is the one that loaded Flink and the application. Only for a cluster in this JVM: inside a
   * Flink cluster the class path is the cluster's (its usrlib), and replacing it breaks the job.
   */
  private Configuration withClassPath(Configuration configuration) {
    boolean customClassLoader =
        target.isLocal() && StreamletRunner.class.getClassLoader() != ClassLoader.getSystemClassLoader();
    if (customClassLoader && !configuration.contains(PipelineOptions.CLASSPATHS)) {
      configuration.set(PipelineOptions.CLASSPATHS, List.of(emptyClassPathEntry()));
    }
    return configuration;
  }

  private static synchronized String emptyClassPathEntry() {
    if (emptyClassPathEntry == null) {
      try {
        // one fixed, always empty directory for every process: nothing to delete, nothing left behind by kill -9
        java.nio.file.Path dir = Files.createDirectories(ProcessTempDirectory.root().resolve("empty-classpath"));
        emptyClassPathEntry = dir.toUri().toURL().toString();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create an empty class path directory", e);
      }
    }
    return emptyClassPathEntry;
  }
}
