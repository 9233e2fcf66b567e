package cloudflow.flink.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one built job to its end, within the timeout, and hands each outlet tap the records its
 * {@link OutletRecorder}s accumulated. The records travel with this job's own result, which is why
 * runs share nothing and can run in parallel.
 */
final class TestkitJob {

  private static final Logger log = LoggerFactory.getLogger(TestkitJob.class);

  private static final Duration CANCEL_WAIT = Duration.ofSeconds(10);

  private final StreamExecutionEnvironment env;
  private final String streamletRef;
  private final Duration timeout;

  TestkitJob(StreamExecutionEnvironment env, String streamletRef, Duration timeout) {
    this.env = env;
    this.streamletRef = streamletRef;
    this.timeout = timeout;
  }

  /**
   * Submits the job, waits for it to finish and delivers the records to the taps.
   *
   * @param outletTaps the taps, by outlet name
   */
  void run(Map<String, FlinkOutletTap<?>> outletTaps) {
    JobClient client = submit();
    JobExecutionResult result = await(client);
    outletTaps.forEach((port, tap) -> tap.deliver(recordsOf(result, port)));
  }

  private JobClient submit() {
    try {
      return env.executeAsync(streamletRef);
    } catch (Exception e) {
      throw new StreamletFailedException("Cannot submit streamlet '" + streamletRef + "': " + rootCauseOf(e), e);
    }
  }

  private JobExecutionResult await(JobClient client) {
    try {
      return client.getJobExecutionResult().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      cancel(client);
      throw new TestkitTimeoutException(
          "Streamlet '" + streamletRef + "' did not finish within " + timeout.toMillis() + " ms, so its job was"
              + " cancelled. A job ends when all inlet taps are exhausted: check that the inlet taps are bounded and"
              + " that the streamlet reads no unbounded source of its own, or allow more time with"
              + " FlinkTestkit.withTimeout(Duration).");
    } catch (ExecutionException e) {
      throw new StreamletFailedException("Streamlet '" + streamletRef + "' failed: " + rootCauseOf(e), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel(client);
      throw new StreamletFailedException("Interrupted while streamlet '" + streamletRef + "' was running", e);
    }
  }

  /** An outlet the logic never wrote to, or whose recorder never saw a record, has no records. */
  private static List<Tuple2<String, byte[]>> recordsOf(JobExecutionResult result, String port) {
    List<Tuple2<String, byte[]>> records = result.getAccumulatorResult(OutletRecorder.accumulatorName(port));
    return records == null ? List.of() : records;
  }

  private void cancel(JobClient client) {
    try {
      client.cancel().get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // The job may have ended meanwhile; the run fails either way.
      log.debug("Cancelling the job of streamlet '{}' failed: {}", streamletRef, e.toString());
    }
  }

  private static String rootCauseOf(Throwable failure) {
    Throwable root = ExceptionUtils.stripExecutionException(failure);
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
