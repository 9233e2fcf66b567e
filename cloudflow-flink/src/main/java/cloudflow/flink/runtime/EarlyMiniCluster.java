package cloudflow.flink.runtime;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.dispatcher.SessionDispatcherFactory;
import org.apache.flink.runtime.dispatcher.runner.DefaultDispatcherRunnerFactory;
import org.apache.flink.runtime.entrypoint.component.DefaultDispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.entrypoint.component.DispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.runtime.resourcemanager.StandaloneResourceManagerFactory;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.MathUtils;
import org.apache.flink.util.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Flink cluster of one streamlet's job, started on a thread of its own while the
 * application is still starting, so that Flink's startup (RPC system, blob server, task manager)
 * overlaps with the application's instead of following it.
 *
 * <p>The job still runs the way Flink runs any local job: Flink's {@link LocalExecutor} builds it
 * and asks its cluster factory for a {@link MiniCluster} sized for the job, which it then starts and
 * shuts down with the job. This cluster is what that factory hands out when the job fits its slots
 * (its {@link #start()} waits for the early start); a job that needs more slots gets a new cluster,
 * and this one is closed.
 *
 * <p>It serves Flink's REST API (and web UI) only when the configuration sets {@code rest.port} or
 * {@code rest.bind-port}: nothing in the process needs it, and its handlers are a fifth of the
 * cluster's start ({@link RestEndpointWithoutHandlers}).
 */
final class EarlyMiniCluster extends MiniCluster {

  private static final Logger log = LoggerFactory.getLogger(EarlyMiniCluster.class);

  private final MiniClusterConfiguration configuration;
  private final String streamletRef;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final AtomicBoolean handedOut = new AtomicBoolean();
  /** The cluster Flink's executor got for the job: this one or a bigger one; null until then. */
  private volatile MiniCluster jobCluster;

  private final Supplier<Reference<RpcSystem>> rpcSystem;
  private final boolean restApi;

  private EarlyMiniCluster(MiniClusterConfiguration configuration, String streamletRef,
      Supplier<Reference<RpcSystem>> rpcSystem, boolean restApi) {
    super(configuration, rpcSystem);
    this.configuration = configuration;
    this.streamletRef = streamletRef;
    this.rpcSystem = rpcSystem;
    this.restApi = restApi;
  }

  /**
   * Starts the cluster a local job with this configuration would get, on a new thread.
   *
   * @param environment the configuration of the job's (local) environment
   * @param streamletRef the streamlet whose job will run on it, for thread names and logs
   * @param rpcSystem the RPC system of this cluster and of a bigger one that replaces it (Flink's
   *     {@code MiniCluster} loads one of its own per cluster unless given one)
   */
  static EarlyMiniCluster startFor(
      ReadableConfig environment, String streamletRef, Supplier<Reference<RpcSystem>> rpcSystem) {
    EarlyMiniCluster cluster =
        new EarlyMiniCluster(configurationFor(environment), streamletRef, rpcSystem, servesRestApi(environment));
    Thread thread = new Thread(cluster::startNow, "flink-cluster-start-" + streamletRef);
    // Flink loads its RPC system and user classes through the context class loader: the
    // application's (a nested-jar loader under java -jar), not the system one a new thread may get
    thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
    thread.setDaemon(true);
    thread.start();
    return cluster;
  }

  /** Whether a local cluster of this configuration serves Flink's REST API: only when a port for it is set. */
  static boolean servesRestApi(ReadableConfig environment) {
    return restPortOption(environment).isPresent();
  }

  /**
   * The option that sets the port of a local cluster's REST API, the only port of the configuration's
   * that a local cluster binds: {@code rest.bind-port} when it is set, else {@code rest.port} (which
   * {@code rest.bind-port} falls back to); empty when neither is set and the cluster serves no REST API.
   */
  static Optional<ConfigOption<?>> restPortOption(ReadableConfig environment) {
    Map<String, String> settings = environment.toMap();
    Configuration configuration = Configuration.fromMap(settings);
    if (!configuration.contains(RestOptions.PORT) && !configuration.contains(RestOptions.BIND_PORT)) {
      return Optional.empty();
    }
    // the raw key: rest.bind-port falls back to rest.port, so contains(BIND_PORT) is true for either
    return Optional.of(settings.containsKey(RestOptions.BIND_PORT.key()) ? RestOptions.BIND_PORT : RestOptions.PORT);
  }

  /** Flink's session cluster components, with a REST endpoint without handlers unless the REST API is asked for. */
  @Override
  protected DispatcherResourceManagerComponentFactory createDispatcherResourceManagerComponentFactory() {
    if (restApi) {
      return super.createDispatcherResourceManagerComponentFactory();
    }
    return new DefaultDispatcherResourceManagerComponentFactory(
        DefaultDispatcherRunnerFactory.createSessionRunner(SessionDispatcherFactory.INSTANCE),
        StandaloneResourceManagerFactory.getInstance(),
        RestEndpointWithoutHandlers.FACTORY);
  }

  /**
   * The cluster Flink's local executor would start for a job of the environment's default
   * parallelism (see {@code PerJobMiniClusterFactory}): one slot per parallel instance spread over
   * the configured number of task managers, unless the slots are configured.
   */
  static MiniClusterConfiguration configurationFor(ReadableConfig environment) {
    Configuration configuration = Configuration.fromMap(environment.toMap());
    if (!configuration.contains(RestOptions.BIND_PORT)) {
      configuration.set(RestOptions.BIND_PORT, "0");
    }
    int taskManagers = configuration.get(TaskManagerOptions.MINI_CLUSTER_NUM_TASK_MANAGERS);
    int parallelism = configuration.get(CoreOptions.DEFAULT_PARALLELISM);
    Map<String, String> overrides = configuration.get(PipelineOptions.PARALLELISM_OVERRIDES);
    if (overrides != null) {
      for (String override : overrides.values()) {
        parallelism = Math.max(parallelism, Integer.parseInt(override));
      }
    }
    int slots = configuration.getOptional(TaskManagerOptions.NUM_TASK_SLOTS)
        .orElse(MathUtils.divideRoundUp(Math.max(1, parallelism), taskManagers));
    return new MiniClusterConfiguration.Builder()
        .setConfiguration(configuration)
        .setNumTaskManagers(taskManagers)
        .setRpcServiceSharing(RpcServiceSharing.SHARED)
        .setNumSlotsPerTaskManager(slots)
        .build();
  }

  /**
   * A Flink environment whose jobs run on this cluster, with the given (local) environment's
   * configuration: the same as that environment's, but for the cluster it starts.
   */
  StreamExecutionEnvironment environment(ReadableConfig localEnvironment) {
    PipelineExecutorFactory factory = new PipelineExecutorFactory() {
      @Override
      public String getName() {
        return LocalExecutor.NAME;
      }

      @Override
      public boolean isCompatibleWith(Configuration configuration) {
        return true;
      }

      @Override
      public LocalExecutor getExecutor(Configuration configuration) {
        return LocalExecutor.createWithFactory(configuration, EarlyMiniCluster.this::clusterFor);
      }
    };
    PipelineExecutorServiceLoader executors = new PipelineExecutorServiceLoader() {
      @Override
      public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
        return factory;
      }

      @Override
      public Stream<String> getExecutorNames() {
        return Stream.of(LocalExecutor.NAME);
      }
    };
    return new StreamExecutionEnvironment(executors, Configuration.fromMap(localEnvironment.toMap()), null);
  }

  /** This cluster if the job fits it (once), otherwise a new one; called by Flink's local executor. */
  private MiniCluster clusterFor(MiniClusterConfiguration wanted) {
    int wantedSlots = wanted.getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS);
    int slots = slots();
    if (wanted.getNumTaskManagers() == configuration.getNumTaskManagers() && wantedSlots == slots
        && handedOut.compareAndSet(false, true)) {
      jobCluster = this;
      return this;
    }
    log.info("Streamlet '{}' needs {} task slot(s) per task manager, its early started cluster has {}: starting another",
        streamletRef, wantedSlots, slots);
    closeUnused();
    jobCluster = new MiniCluster(wanted, rpcSystem);
    return jobCluster;
  }

  /** The cluster the job was submitted to (this one or a bigger one), or null before a job was submitted. */
  MiniCluster jobCluster() {
    return jobCluster;
  }

  private int slots() {
    return configuration.getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS);
  }

  private void startNow() {
    try {
      super.start();
      started.complete(null);
    } catch (Throwable e) {
      started.completeExceptionally(e);
    }
  }

  /** Waits for the early start (Flink's executor calls this before it submits the job). */
  @Override
  public void start() throws Exception {
    try {
      started.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** The streamlet whose job this cluster is for. */
  String streamletRef() {
    return streamletRef;
  }

  /** Shuts the cluster down once started, unless a job was given to it (the job's end does then). */
  void closeUnused() {
    if (handedOut.compareAndSet(false, true)) {
      started.whenComplete((ok, error) -> {
        if (error == null) {
          closeAsync();
        }
      });
    }
  }

  /**
   * Shuts down this cluster and the job's cluster (cancelling a job still running there) and
   * completes when both have: Flink's last files and threads are gone then.
   */
  CompletableFuture<Void> shutDown() {
    closeUnused();
    return started.handle((ok, error) -> null).thenCompose(ignored -> {
      MiniCluster job = jobCluster;
      CompletableFuture<Void> own = closeAsync();
      return job == null || job == this ? own : CompletableFuture.allOf(own, job.closeAsync());
    });
  }
}
