package reference.flink;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Runs {@link SensorStatsJob} on a Flink MiniCluster in this JVM and returns only once every task of
 * the job is RUNNING: Spring Boot reports readiness ACCEPTING_TRAFFIC after its runners return, so
 * {@code /actuator/health/readiness} stays OUT_OF_SERVICE until the job processes records.
 *
 * <p>By default it does what a hand-written application does first: everything in sequence once the
 * context has started. With {@code --reference.start-early=true} it creates the topics, starts the
 * cluster and builds the job graph on a thread of its own from its construction on, while Spring
 * creates the other beans and starts the web server: the overlap the starter does too. With
 * {@code --reference.exit-after=2s} the application exits that long after the tasks run, for the
 * training run of a class data sharing archive (the starter's {@code cloudflow.exit-after}).
 */
@Component
class ProcessorRunner implements ApplicationRunner, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ProcessorRunner.class);

  private static final Path WORK_DIR = Path.of(System.getProperty("java.io.tmpdir"), "startup-reference-flink");

  private final String bootstrapServers;
  private final double alertThreshold;
  private final CompletableFuture<JobGraph> prepared;
  private final Duration exitAfter;
  private final ConfigurableApplicationContext context;
  private volatile MiniCluster cluster;
  private JobID job;

  ProcessorRunner(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
      @Value("${processor.alert-threshold}") double alertThreshold,
      @Value("${reference.start-early:false}") boolean startEarly,
      @Value("${reference.exit-after:#{null}}") Duration exitAfter, ConfigurableApplicationContext context) {
    this.bootstrapServers = bootstrapServers;
    this.alertThreshold = alertThreshold;
    this.exitAfter = exitAfter;
    this.context = context;
    this.prepared = startEarly ? CompletableFuture.supplyAsync(this::prepare) : null;
  }

  @Override
  public void run(ApplicationArguments args) throws Exception {
    JobGraph jobGraph = prepared != null ? prepared.get() : prepare();
    job = cluster.submitJob(jobGraph).get().getJobID();
    awaitAllTasksRunning();
    log.info("All tasks of job {} RUNNING, {} ms after JVM start", job, ManagementFactory.getRuntimeMXBean().getUptime());
    if (exitAfter != null) {
      // on a thread of its own, so that readiness goes UP meanwhile as in any other start
      new Thread(this::exitLater, "reference-exit-after").start();
    }
  }

  private void exitLater() {
    try {
      Thread.sleep(exitAfter.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(SpringApplication.exit(context));
  }

  /** Creates the topics, starts the cluster and returns the job's graph. */
  private JobGraph prepare() {
    try {
      createTopics();
      MiniCluster starting = new MiniCluster(new MiniClusterConfiguration.Builder()
          .setConfiguration(clusterConfiguration())
          .setNumTaskManagers(1)
          .setNumSlotsPerTaskManager(1)
          .build());
      cluster = starting;
      starting.start();
      JobGraph jobGraph = SensorStatsJob.jobGraph(bootstrapServers, alertThreshold);
      // A job without jars or class path is loaded with the system class loader, which does not see the
      // classes in the nested jars of java -jar; with a class path entry Flink makes a user-code class
      // loader whose parent is the one that loaded Flink and this application.
      jobGraph.setClasspaths(List.of(Files.createDirectories(WORK_DIR.resolve("empty-classpath")).toUri().toURL()));
      return jobGraph;
    } catch (Exception e) {
      throw new IllegalStateException("Could not prepare the job", e);
    }
  }

  private static Configuration clusterConfiguration() {
    Configuration configuration = new Configuration();
    // the REST API for this process only, on a free port
    configuration.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    configuration.set(RestOptions.PORT, 0);
    configuration.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    configuration.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, WORK_DIR.resolve("checkpoints").toUri().toString());
    return configuration;
  }

  /** The job's topics with the broker's default partitions and replication, unless they exist. */
  private void createTopics() throws InterruptedException, ExecutionException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      var topics = List.of(SensorStatsJob.READINGS_TOPIC, SensorStatsJob.SUMMARIES_TOPIC).stream()
          .map(name -> new NewTopic(name, Optional.empty(), Optional.empty())).toList();
      for (var created : admin.createTopics(topics).values().values()) {
        try {
          created.get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }

  /**
   * Polls the job's execution graph every 50 ms: a submitted job is RUNNING while its tasks are still
   * being scheduled, deployed and initialized (restoring state, connecting to Kafka), and while its job
   * master starts the graph has no tasks at all.
   */
  private void awaitAllTasksRunning() throws InterruptedException, ExecutionException {
    while (true) {
      AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
      if (graph.getState().isGloballyTerminalState()) {
        throw new IllegalStateException("Job " + job + " ended " + graph.getState() + " before all its tasks ran",
            graph.getFailureInfo() == null ? null : graph.getFailureInfo().getException().deserializeError(getClass().getClassLoader()));
      }
      int tasks = 0;
      int running = 0;
      for (AccessExecutionVertex task : graph.getAllExecutionVertices()) {
        tasks++;
        if (task.getExecutionState() == ExecutionState.RUNNING) {
          running++;
        }
      }
      if (tasks > 0 && running == tasks) {
        return;
      }
      Thread.sleep(50);
    }
  }

  /** On shutdown (SIGTERM included): cancels the job, then stops the cluster. */
  @Override
  public void destroy() throws Exception {
    if (cluster == null) {
      return;
    }
    try {
      if (job != null) {
        cluster.cancelJob(job).get(10, TimeUnit.SECONDS);
      }
    } finally {
      cluster.close();
    }
  }
}
