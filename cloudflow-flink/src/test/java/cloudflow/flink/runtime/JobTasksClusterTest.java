package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link JobTasks#of(MiniCluster)} against a real local cluster: task states, checkpoints and restarts
 * as Flink reports them, restarts checked against Flink's own {@code numRestarts} metric from the
 * cluster's REST API; and what one poll costs.
 */
class JobTasksClusterTest {

  private static MiniCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(Configuration.fromMap(Map.of("rest.bind-address", "127.0.0.1", "rest.bind-port", "0",
            "metrics.fetcher.update-interval", "200 ms")))
        .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
    cluster.start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void seesTheTasksRunningTheCheckpointIntervalAndCompletedCheckpoints() throws Exception {
    JobID job = submit(false);
    try {
      JobTasks tasks = JobTasks.of(cluster);
      JobTasks.View view = await(tasks, job,
          v -> JobTasks.allRunning(v.states()) && v.lastCheckpoint() != null);
      assertThat(view.checkpointInterval()).isEqualTo(Duration.ofMillis(200));
      assertThat(view.restarts()).isZero();
      assertThat(view.lastCheckpoint().savepoint()).isFalse();
      assertThat(view.lastCheckpoint().id()).isPositive();

      // what the poll costs, every 250 ms: Flink's copy of the execution graph, and reading it
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      int polls = 200;
      for (int round = 0; round < 2; round++) {
        double graphOnly = cpuPerCall(os, polls, () -> cluster.getExecutionGraph(job).get());
        double viewed = cpuPerCall(os, polls, () -> tasks.view(job).get());
        System.out.printf("poll CPU (process, per call, %d calls, the process's CPU while idle for as long subtracted): "
            + "execution graph copy %.2f ms, JobTasks view %.2f ms%n", polls, graphOnly, viewed);
      }
    } finally {
      cluster.cancelJob(job).get();
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  /**
   * Process CPU per call in milliseconds, less what the process spends meanwhile without the calls (the
   * job itself, the cluster's own threads): measured by sleeping for as long right after.
   */
  private static double cpuPerCall(OperatingSystemMXBean os, int calls, Call call) throws Exception {
    long cpu = os.getProcessCpuTime();
    long wall = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      call.run();
    }
    long busy = os.getProcessCpuTime() - cpu;
    long elapsed = System.nanoTime() - wall;
    cpu = os.getProcessCpuTime();
    Thread.sleep(elapsed / 1_000_000, (int) (elapsed % 1_000_000));
    long idle = os.getProcessCpuTime() - cpu;
    return (busy - idle) / 1e6 / calls;
  }

  @Test
  void countsRestartsAsFlinksNumRestartsDoes() throws Exception {
    JobID job = submit(true);
    try {
      numRestarts(job); // the metric fetcher's first fetch
      JobTasks.View view = await(JobTasks.of(cluster), job, v -> v.restarts() >= 3);
      // the metric fetcher answers a request with what its previous fetch stored and starts the next
      // fetch in the background: ask until an answer is from after the view (numRestarts only grows)
      long numRestarts = numRestarts(job);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (numRestarts < view.restarts() && System.nanoTime() < deadline) {
        Thread.sleep(250);
        numRestarts = numRestarts(job);
      }
      JobTasks.View again = JobTasks.of(cluster).view(job).get();
      // read while the job keeps restarting: Flink counts a restart when it handles the failure, the
      // tasks' attempt numbers grow when the restart deploys them after the backoff, so numRestarts
      // may be one ahead of the view read after it
      assertThat(numRestarts).as("Flink's numRestarts between two views (%s, %s)", view.restarts(), again.restarts())
          .isBetween((long) view.restarts(), (long) again.restarts() + 1);
    } finally {
      cluster.cancelJob(job).get();
    }
  }

  /** A generator into a discarding sink, checkpointing every 200 ms; with {@code failing}, a map that fails on every record. */
  private static JobID submit(boolean failing) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(Map.of(
        "parallelism.default", "1",
        "execution.checkpointing.interval", "200 ms",
        "restart-strategy.type", "fixed-delay",
        "restart-strategy.fixed-delay.attempts", "1000",
        "restart-strategy.fixed-delay.delay", "100 ms")));
    env.fromSequence(0, Long.MAX_VALUE)
        .map(failing ? JobTasksClusterTest::poison : JobTasksClusterTest::slowly)
        .sinkTo(new DiscardingSink<>());
    return cluster.submitJob(env.getStreamGraph()).get().getJobID();
  }

  private static Long slowly(Long value) throws InterruptedException {
    Thread.sleep(100);
    return value;
  }

  private static Long poison(Long value) {
    throw new IllegalStateException("poison record " + value);
  }

  private static JobTasks.View await(JobTasks tasks, JobID job, Predicate<JobTasks.View> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JobTasks.View view = null;
    while (System.nanoTime() < deadline) {
      try {
        view = tasks.view(job).get();
        if (done.test(view)) {
          return view;
        }
      } catch (Exception notThereYet) {
        // the job master is not up yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not seen within 60 s; last view: " + view);
  }

  /** Flink's numRestarts metric of the job, from the REST API (its metric fetcher answers [] until its first fetch). */
  private static long numRestarts(JobID job) throws Exception {
    URI rest = cluster.getRestAddress().get();
    String body = "";
    for (int attempt = 0; attempt < 100; attempt++) {
      body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              rest.resolve("/jobs/" + job + "/metrics?get=numRestarts")).build(), HttpResponse.BodyHandlers.ofString())
          .body();
      Matcher value = Pattern.compile("\"value\":\"(\\d+)\"").matcher(body);
      if (value.find()) {
        return Long.parseLong(value.group(1));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no numRestarts in " + body);
  }
}
