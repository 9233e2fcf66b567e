package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop with a savepoint reports the savepoint even when the cluster says the job FINISHED before
 * the savepoint request has its answer, as a remote cluster does (its REST client polls for the
 * answer). The job is a real one on a local cluster; only the answer is held back.
 */
class FlinkJobExecutionStopTest {

  @Test
  void reportsTheSavepointWhoseAnswerArrivesAfterTheJobFinished(@TempDir Path savepoints) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
    env.fromSequence(0, Long.MAX_VALUE).sinkTo(new DiscardingSink<>());
    JobClient job = env.executeAsync("stop-test");
    JobClient remoteLike = new SavepointAnswerLate(job, Duration.ofSeconds(1));
    FlinkJobExecution execution =
        new FlinkJobExecution("stop-test", remoteLike, Duration.ofMillis(20), savepoints.toUri().toString(), true);
    try {
      execution.ready().get(60, TimeUnit.SECONDS);
      awaitTasksRunning(job, savepoints);

      execution.stop().get(60, TimeUnit.SECONDS);

      assertThat(execution.completed()).as("the job's end").isDone();
      assertThat(execution.stoppedWithSavepoint()).as("the savepoint the job was stopped with").isPresent();
      assertThat(Path.of(execution.stoppedWithSavepoint().orElseThrow().replaceFirst("^file:/*", "/")).resolve("_metadata"))
          .satisfies(metadata -> assertThat(Files.isRegularFile(metadata)).isTrue());
    } finally {
      if (!execution.completed().isDone()) {
        job.cancel();
      }
    }
  }

  /** RUNNING at job level is not every task running: a savepoint that succeeds is. */
  private static void awaitTasksRunning(JobClient job, Path savepoints) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        job.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        assertThat(System.nanoTime()).as("tasks running within 60 s: %s", e).isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  /** A real job's client whose stop-with-savepoint answer comes later than the job's end. */
  private record SavepointAnswerLate(JobClient job, Duration delay) implements JobClient {

    @Override
    public CompletableFuture<String> stopWithSavepoint(boolean drain, String directory, SavepointFormatType format) {
      return job.stopWithSavepoint(drain, directory, format).thenCompose(path -> CompletableFuture.supplyAsync(
          () -> path, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)));
    }

    @Override
    public JobID getJobID() {
      return job.getJobID();
    }

    @Override
    public CompletableFuture<JobStatus> getJobStatus() {
      return job.getJobStatus();
    }

    @Override
    public CompletableFuture<Void> cancel() {
      return job.cancel();
    }

    @Override
    public CompletableFuture<String> triggerSavepoint(String directory, SavepointFormatType format) {
      return job.triggerSavepoint(directory, format);
    }

    @Override
    public CompletableFuture<Map<String, Object>> getAccumulators() {
      return job.getAccumulators();
    }

    @Override
    public CompletableFuture<JobExecutionResult> getJobExecutionResult() {
      return job.getJobExecutionResult();
    }
  }
}
