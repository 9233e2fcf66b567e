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
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
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

  private static EarlyMiniCluster early;
  private static MiniCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    early = EarlyMiniCluster.startFor(Configuration.fromMap(Map.of("parallelism.default", "1",
        "taskmanager.numberOfTaskSlots", "2")), "job-tasks-test");
    early.start();
    cluster = early.jobCluster();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void seesTheTasksRunningTheCheckpointIntervalAndCompletedCheckpoints() throws Exception {
    JobClient job = submit(false);
    try {
      JobTasks tasks = JobTasks.of(cluster);
      JobTasks.View view = await(tasks, job.getJobID(),
          v -> JobTasks.allRunning(v.states()) && v.lastCheckpoint() != null);
      assertThat(view.checkpointInterval()).isEqualTo(Duration.ofMillis(200));
      assertThat(view.restarts()).isZero();
      assertThat(view.lastCheckpoint().savepoint()).isFalse();
      assertThat(view.lastCheckpoint().id()).isPositive();

      // what the readiness poll costs, every 250 ms: the execution graph copy dominates
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      int polls = 200;
      long cpu = os.getProcessCpuTime();
      long wall = System.nanoTime();
      for (int i = 0; i < polls; i++) {
        tasks.view(job.getJobID()).get();
      }
      long pollCpu = os.getProcessCpuTime() - cpu;
      long pollWall = System.nanoTime() - wall;
      cpu = os.getProcessCpuTime();
      Thread.sleep(pollWall / 1_000_000);
      long idleCpu = os.getProcessCpuTime() - cpu;
      System.out.printf("JobTasks.of(MiniCluster).view: %d polls, process CPU %.2f ms per poll (%.2f ms with the "
              + "job's own work over the same time subtracted), wall %.2f ms per poll%n", polls, pollCpu / 1e6 / polls,
          (pollCpu - idleCpu) / 1e6 / polls, pollWall / 1e6 / polls);
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void countsRestartsAsFlinksNumRestartsDoes() throws Exception {
    JobClient job = submit(true);
    try {
      JobTasks.View view = await(JobTasks.of(cluster), job.getJobID(), v -> v.restarts() >= 3);
      long numRestarts = numRestarts(job.getJobID());
      assertThat(numRestarts).as("Flink's numRestarts").isGreaterThanOrEqualTo(3);
      JobTasks.View again = JobTasks.of(cluster).view(job.getJobID()).get();
      // both are read while the job keeps restarting: numRestarts lies between the two views
      assertThat(numRestarts).isBetween((long) view.restarts(), (long) again.restarts() + 1);
    } finally {
      job.cancel().get();
    }
  }

  /** A generator into a discarding sink, checkpointing every 200 ms; with {@code failing}, a map that fails on every record. */
  private static JobClient submit(boolean failing) throws Exception {
    StreamExecutionEnvironment env = early.environment(Configuration.fromMap(Map.of(
        "execution.checkpointing.interval", "200 ms",
        "restart-strategy.type", "fixed-delay",
        "restart-strategy.fixed-delay.attempts", "1000",
        "restart-strategy.fixed-delay.delay", "100 ms")));
    env.fromSequence(0, Long.MAX_VALUE)
        .map(failing ? JobTasksClusterTest::poison : JobTasksClusterTest::slowly)
        .sinkTo(new DiscardingSink<>());
    return env.executeAsync(failing ? "restarting" : "running");
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

  private static long numRestarts(JobID job) throws Exception {
    URI rest = cluster.getRestAddress().get();
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            rest.resolve("/jobs/" + job + "/metrics?get=numRestarts")).build(), HttpResponse.BodyHandlers.ofString())
        .body();
    Matcher value = Pattern.compile("\"value\":\"(\\d+)\"").matcher(body);
    if (!value.find()) {
      throw new AssertionError("no numRestarts in " + body);
    }
    return Long.parseLong(value.group(1));
  }
}
