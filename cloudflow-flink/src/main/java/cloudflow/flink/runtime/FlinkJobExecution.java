package cloudflow.flink.runtime;

import cloudflow.flink.StreamletExecution;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a submitted Flink job through its {@link JobClient}: polls its status so that readiness can
 * be answered without a round trip, and turns the job's end into {@link #completed()}.
 */
final class FlinkJobExecution implements StreamletExecution {

  private static final Logger log = LoggerFactory.getLogger(FlinkJobExecution.class);

  private final String streamletRef;
  private final JobClient client;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> completed = new CompletableFuture<>();
  private final ScheduledExecutorService poller;
  private volatile JobStatus status = JobStatus.INITIALIZING;
  /** Where stop() takes its savepoint; {@code null}: stop() cancels. */
  private final String savepointDirectory;
  /** Whether stop() stops the job; not when the Flink cluster that runs the application owns it. */
  private final boolean ownsJob;
  private volatile CompletableFuture<Void> stopping;

  FlinkJobExecution(
      String streamletRef, JobClient client, Duration pollInterval, String savepointDirectory, boolean ownsJob) {
    this.streamletRef = streamletRef;
    this.savepointDirectory = savepointDirectory;
    this.ownsJob = ownsJob;
    this.client = client;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "streamlet-" + streamletRef + "-status");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    client.getJobExecutionResult().whenComplete((result, failure) -> finished(failure));
  }

  private void poll() {
    if (completed.isDone()) {
      return;
    }
    client.getJobStatus().whenComplete((s, failure) -> {
      if (s != null && !completed.isDone()) {
        update(s);
      }
    });
  }

  private void update(JobStatus next) {
    JobStatus previous = status;
    status = next;
    if (previous != next) {
      log.info("Streamlet '{}' job {} is {}", streamletRef, client.getJobID(), next);
    }
    if (next == JobStatus.RUNNING) {
      ready.complete(null);
    }
  }

  private void finished(Throwable failure) {
    poller.shutdownNow();
    if (failure == null) {
      update(JobStatus.FINISHED);
      ready.completeExceptionally(new IllegalStateException("Streamlet '" + streamletRef + "' ended before running"));
      completed.complete(null);
      return;
    }
    boolean cancelled = stopping != null;
    // a stop with savepoint ends the job as FINISHED (failure == null above); a cancel as a failure
    update(cancelled ? JobStatus.CANCELED : JobStatus.FAILED);
    if (cancelled) {
      ready.completeExceptionally(new IllegalStateException("Streamlet '" + streamletRef + "' was stopped"));
      completed.complete(null);
    } else {
      log.error("Streamlet '{}' job {} failed", streamletRef, client.getJobID(), failure);
      ready.completeExceptionally(failure);
      completed.completeExceptionally(failure);
    }
  }

  private void cancel() {
    log.info("Cancelling streamlet '{}' (job {})", streamletRef, client.getJobID());
    client.cancel().whenComplete((ignored, failure) -> {
      if (failure != null && !completed.isDone()) {
        log.warn("Cancelling streamlet '{}' failed: {}", streamletRef, failure.toString());
      }
    });
  }

  @Override
  public String streamletRef() {
    return streamletRef;
  }

  @Override
  public JobStatus status() {
    return status;
  }

  @Override
  public CompletableFuture<Void> ready() {
    return ready;
  }

  @Override
  public CompletableFuture<Void> completed() {
    return completed;
  }

  @Override
  public synchronized CompletableFuture<Void> stop() {
    if (stopping == null) {
      stopping = new CompletableFuture<>();
      if (completed.isDone()) {
        stopping.complete(null);
      } else if (!ownsJob) {
        // inside a Flink cluster the job outlives this application's shutdown: Flink (or the operator's
        // upgrade mode) decides whether it is stopped, and with which savepoint or checkpoint
        log.info("Leaving streamlet '{}' (job {}) to the Flink cluster", streamletRef, client.getJobID());
        poller.shutdownNow();
        stopping.complete(null);
      } else if (savepointDirectory != null && status == JobStatus.RUNNING) {
        log.info("Stopping streamlet '{}' (job {}) with a savepoint", streamletRef, client.getJobID());
        client.stopWithSavepoint(false, savepointDirectory, SavepointFormatType.CANONICAL).whenComplete((path, failure) -> {
          if (failure == null) {
            log.info("Streamlet '{}' stopped with savepoint {}", streamletRef, path);
          } else if (!completed.isDone()) {
            log.warn("Stop with savepoint of streamlet '{}' failed ({}); cancelling it", streamletRef, failure.toString());
            cancel();
          }
        });
        completed.handle((ignored, failure) -> stopping.complete(null));
      } else {
        cancel();
        completed.handle((ignored, failure) -> stopping.complete(null));
      }
    }
    return stopping;
  }
}
