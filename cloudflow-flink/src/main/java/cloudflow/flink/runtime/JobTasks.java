package cloudflow.flink.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobsOverviewHeaders;
import org.slf4j.LoggerFactory;

/**
 * The states of a job's tasks (its subtasks, all vertices together), as the cluster that runs the
 * job sees them. A job whose status is RUNNING may still have tasks SCHEDULED, DEPLOYING or
 * INITIALIZING (while it starts, or after a restart while it waits for task slots); a stop with a
 * savepoint fails then, and the job processes nothing yet. Flink's
 * {@link org.apache.flink.core.execution.JobClient} has no such view, so it comes from the cluster:
 * the execution graph of a local {@link MiniCluster}, or the REST API ({@code GET /jobs/overview})
 * of a remote one.
 */
interface JobTasks extends AutoCloseable {

  /** Counts of the job's tasks per state; completes exceptionally when the cluster cannot tell. */
  CompletableFuture<Map<ExecutionState, Integer>> states(JobID job);

  @Override
  default void close() {}

  /** Whether every task runs: at least one task, each RUNNING or (a bounded source, say) FINISHED. */
  static boolean allRunning(Map<ExecutionState, Integer> states) {
    int running = states.getOrDefault(ExecutionState.RUNNING, 0);
    int total = states.values().stream().mapToInt(Integer::intValue).sum();
    return running > 0 && running + states.getOrDefault(ExecutionState.FINISHED, 0) == total;
  }

  /** The tasks of jobs on a Flink cluster in this JVM, from its execution graph. */
  static JobTasks of(MiniCluster cluster) {
    return job -> cluster.getExecutionGraph(job).thenApply(graph -> {
      Map<ExecutionState, Integer> states = new EnumMap<>(ExecutionState.class);
      for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
        states.merge(vertex.getExecutionState(), 1, Integer::sum);
      }
      return states;
    });
  }

  /**
   * The tasks of jobs on a remote cluster, from its REST API; {@code null} when no REST client can
   * be made (the job is then followed by its status only).
   *
   * @param configuration the job's configuration (REST client settings such as SSL)
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
    return new JobTasks() {
      @Override
      public CompletableFuture<Map<ExecutionState, Integer>> states(JobID job) {
        // GET /jobs/overview asks the job masters; GET /jobs/<id> would answer from a cache that is
        // up to web.refresh-interval (3 s) old, and could show the tasks of before a restart as running
        return client.sendRequest(JobsOverviewHeaders.getInstance(), EmptyMessageParameters.getInstance(),
                EmptyRequestBody.getInstance())
            .thenApply(overview -> {
              Map<ExecutionState, Integer> states = new EnumMap<>(ExecutionState.class);
              overview.getJobs().stream().filter(details -> details.getJobId().equals(job)).findFirst()
                  .filter(details -> details.getStatus() == JobStatus.RUNNING)
                  .ifPresent(details -> {
                    int[] counts = details.getTasksPerState();
                    for (ExecutionState state : ExecutionState.values()) {
                      if (counts[state.ordinal()] > 0) {
                        states.put(state, counts[state.ordinal()]);
                      }
                    }
                  });
              return states;
            });
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
