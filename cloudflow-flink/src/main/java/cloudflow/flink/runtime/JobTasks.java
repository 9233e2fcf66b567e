package cloudflow.flink.runtime;

import cloudflow.flink.CheckpointSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.checkpoint.CheckpointStatsHistory;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.tasks.CheckpointCoordinatorConfiguration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.JobsOverviewHeaders;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatisticsHeaders;
import org.apache.flink.runtime.rest.messages.job.metrics.JobMetricsHeaders;
import org.apache.flink.runtime.rest.messages.job.metrics.JobMetricsMessageParameters;
import org.apache.flink.runtime.rest.messages.job.metrics.Metric;
import org.slf4j.LoggerFactory;

/**
 * A job as the cluster that runs it sees it: the states of its tasks (its subtasks, all vertices
 * together), how often it restarted, its newest completed checkpoint. A job whose status is RUNNING
 * may still have tasks SCHEDULED, DEPLOYING or INITIALIZING (while it starts, or after a restart while
 * it waits for task slots); a stop with a savepoint fails then, and the job processes nothing yet.
 * Flink's {@link org.apache.flink.core.execution.JobClient} has no such view, so it comes from the
 * cluster: the execution graph of a local {@link MiniCluster}, or the REST API of a remote one.
 */
interface JobTasks extends AutoCloseable {

  /** How often a remote cluster is asked for checkpoints and restarts (task states: every poll). */
  Duration REMOTE_DETAILS_INTERVAL = Duration.ofSeconds(2);

  /**
   * What the cluster says about a job.
   *
   * @param states counts of the job's tasks per state
   * @param restarts how often the job restarted; -1 when the cluster did not say (yet)
   * @param lastCheckpoint its newest completed checkpoint or savepoint, or null
   * @param checkpointInterval its checkpoint interval, or null when checkpointing is off
   */
  record View(Map<ExecutionState, Integer> states, int restarts, CheckpointSummary lastCheckpoint,
      Duration checkpointInterval) {}

  /** The job as the cluster sees it; completes exceptionally when the cluster cannot tell. */
  CompletableFuture<View> view(JobID job);

  @Override
  default void close() {}

  /** Whether every task runs: at least one task, each RUNNING or (a bounded source, say) FINISHED. */
  static boolean allRunning(Map<ExecutionState, Integer> states) {
    int running = states.getOrDefault(ExecutionState.RUNNING, 0);
    int total = states.values().stream().mapToInt(Integer::intValue).sum();
    return running > 0 && running + states.getOrDefault(ExecutionState.FINISHED, 0) == total;
  }

  /** The jobs on a Flink cluster in this JVM, from its execution graph. */
  static JobTasks of(MiniCluster cluster) {
    return job -> cluster.getExecutionGraph(job).thenApply(JobTasks::view);
  }

  /**
   * Reads a job's execution graph. Restarts are the highest attempt number of its tasks: each restart
   * (a failover of the whole job or of the region a task is in) deploys the tasks it restarts as a new
   * attempt, and a streamlet's job is one pipelined region, where that equals Flink's
   * {@code numRestarts}; the graph has no restart counter of its own.
   */
  static View view(AccessExecutionGraph graph) {
    Map<ExecutionState, Integer> states = new EnumMap<>(ExecutionState.class);
    int restarts = 0;
    for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
      states.merge(vertex.getExecutionState(), 1, Integer::sum);
      restarts = Math.max(restarts, vertex.getCurrentExecutionAttempt().getAttemptNumber());
    }
    CheckpointCoordinatorConfiguration checkpointing = graph.getCheckpointCoordinatorConfiguration();
    Duration interval = checkpointing != null && checkpointing.isCheckpointingEnabled()
        ? Duration.ofMillis(checkpointing.getCheckpointInterval()) : null;
    CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
    CheckpointSummary last = null;
    if (stats != null && stats.getHistory() != null) {
      CheckpointStatsHistory history = stats.getHistory();
      last = newer(summary(history.getLatestCompletedCheckpoint()), summary(history.getLatestSavepoint()));
    }
    return new View(states, restarts, last, interval);
  }

  private static CheckpointSummary summary(CompletedCheckpointStats stats) {
    return stats == null ? null : new CheckpointSummary(stats.getCheckpointId(),
        Instant.ofEpochMilli(stats.getLatestAckTimestamp()), stats.getStateSize(), stats.getExternalPath(),
        stats.getProperties().isSavepoint());
  }

  private static CheckpointSummary summary(CheckpointStatistics.CompletedCheckpointStatistics stats) {
    return stats == null ? null : new CheckpointSummary(stats.getId(),
        Instant.ofEpochMilli(stats.getLatestAckTimestamp()), stats.getStateSize(), stats.getExternalPath(),
        stats.isSavepoint());
  }

  private static CheckpointSummary newer(CheckpointSummary a, CheckpointSummary b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.completedAt().isBefore(b.completedAt()) ? b : a;
  }

  /**
   * The jobs on a remote cluster, from its REST API; {@code null} when no REST client can be made (the
   * job is then followed by its status only). Task states come from {@code GET /jobs/overview} on every
   * call; checkpoints ({@code GET /jobs/<id>/checkpoints}) and restarts (the job's {@code numRestarts}
   * metric) at most every {@link #REMOTE_DETAILS_INTERVAL}, so that a 250 ms poll costs the job manager
   * one request.
   *
   * @param configuration the job's configuration (REST client settings such as SSL; its checkpoint interval)
   * @param host the job manager's REST host
   * @param port its REST port
   */
  static JobTasks rest(Configuration configuration, String host, int port) {
    Configuration rest = new Configuration(configuration);
    rest.set(RestOptions.ADDRESS, host);
    rest.set(RestOptions.PORT, port);
    RestClusterClient<StandaloneClusterId> client;
    try {
      client = new RestClusterClient<>(rest, StandaloneClusterId.getInstance());
    } catch (Exception e) {
      LoggerFactory.getLogger(JobTasks.class).warn("No REST client for {}:{}, task states unknown: {}", host, port, e.toString());
      return null;
    }
    Duration interval = configuration.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
        .filter(i -> !i.isZero() && !i.isNegative()).orElse(null);
    return new JobTasks() {
      private long detailsAt = Long.MIN_VALUE;
      private volatile int restarts = -1;
      private volatile CheckpointSummary last;

      @Override
      public CompletableFuture<View> view(JobID job) {
        // GET /jobs/overview asks the job masters; GET /jobs/<id> would answer from a cache that is
        // up to web.refresh-interval (3 s) old, and could show the tasks of before a restart as running
        CompletableFuture<Map<ExecutionState, Integer>> states = client.sendRequest(JobsOverviewHeaders.getInstance(),
                EmptyMessageParameters.getInstance(), EmptyRequestBody.getInstance())
            .thenApply(overview -> {
              Map<ExecutionState, Integer> counts = new EnumMap<>(ExecutionState.class);
              overview.getJobs().stream().filter(details -> details.getJobId().equals(job)).findFirst()
                  .filter(details -> details.getStatus() == JobStatus.RUNNING)
                  .ifPresent(details -> {
                    int[] perState = details.getTasksPerState();
                    for (ExecutionState state : ExecutionState.values()) {
                      if (perState[state.ordinal()] > 0) {
                        counts.put(state, perState[state.ordinal()]);
                      }
                    }
                  });
              return counts;
            });
        CompletableFuture<Void> details = CompletableFuture.completedFuture(null);
        long now = System.nanoTime();
        if (detailsAt == Long.MIN_VALUE || now - detailsAt >= REMOTE_DETAILS_INTERVAL.toNanos()) {
          detailsAt = now;
          details = CompletableFuture.allOf(checkpoints(job), restarts(job));
        }
        return states.thenCombine(details, (counts, ignored) -> new View(counts, restarts, last, interval));
      }

      /** The newest completed checkpoint; a failed request keeps the last answer. */
      private CompletableFuture<Void> checkpoints(JobID job) {
        JobMessageParameters parameters = new JobMessageParameters();
        parameters.jobPathParameter.resolve(job);
        return client.sendRequest(CheckpointingStatisticsHeaders.getInstance(), parameters, EmptyRequestBody.getInstance())
            .thenAccept(statistics -> {
              CheckpointingStatistics.LatestCheckpoints latest = statistics.getLatestCheckpoints();
              if (latest != null) {
                last = newer(summary(latest.getCompletedCheckpointStatistics()), summary(latest.getSavepointStatistics()));
              }
            })
            .exceptionally(failure -> null);
      }

      /** The job's numRestarts metric (the job manager's metric fetcher may be a few seconds behind). */
      private CompletableFuture<Void> restarts(JobID job) {
        JobMetricsMessageParameters parameters = new JobMetricsMessageParameters();
        parameters.jobPathParameter.resolve(job);
        parameters.metricsFilterParameter.resolve(List.of("numRestarts"));
        return client.sendRequest(JobMetricsHeaders.getInstance(), parameters, EmptyRequestBody.getInstance())
            .thenAccept(body -> body.getMetrics().stream().filter(m -> m.getId().equals("numRestarts"))
                .map(Metric::getValue).findFirst().ifPresent(value -> restarts = (int) Double.parseDouble(value)))
            .exceptionally(failure -> null);
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
