package cloudflow.flink.runtime;

import cloudflow.flink.StreamletExecution;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a submitted Flink job through its {@link JobClient}: polls its status, and while it is
 * RUNNING the states of its tasks ({@link JobTasks}), so that readiness can be answered without a
 * round trip; turns the job's end into {@link #completed()}.
 *
 * <p>The job runs when its status is RUNNING <em>and</em> every task is: a RUNNING job may still be
 * deploying its tasks, or waiting for task slots after a restart. Without a view of the tasks (a job
 * on a cluster this application did not start, or inside a Flink cluster) the status alone counts.
 */
final class FlinkJobExecution implements StreamletExecution {

  private static final Logger log = LoggerFactory.getLogger(FlinkJobExecution.class);
  /** How long one poll waits for the cluster's answer. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  private final String streamletRef;
  private final JobClient client;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> completed = new CompletableFuture<>();
  private final ScheduledExecutorService poller;
  private volatile JobStatus status = JobStatus.INITIALIZING;
  /** The tasks' states when the job was last seen RUNNING, or null. */
  private volatile Map<ExecutionState, Integer> taskStates;
  private volatile boolean running;
  /** Where the task states come from; null: from the job status only. */
  private final JobTasks tasks;
  /** How long stop() waits for a job that is starting to run all its tasks before its savepoint. */
  private final Duration taskStartWait;
  /** Where stop() takes its savepoint; {@code null}: stop() cancels. */
  private final String savepointDirectory;
  /** Whether stop() stops the job; not when the Flink cluster that runs the application owns it. */
  private final boolean ownsJob;
  private volatile CompletableFuture<Void> stopping;
  /** Why the job was cancelled as hopeless (see {@link #abort}), or null. */
  private volatile RuntimeException aborted;

  FlinkJobExecution(
      String streamletRef, JobClient client, Duration pollInterval, String savepointDirectory, boolean ownsJob) {
    this(streamletRef, client, pollInterval, savepointDirectory, ownsJob, null, Duration.ZERO);
  }

  /**
   * @param tasks where the states of the job's tasks come from; null: readiness follows the job status
   * @param taskStartWait how long {@link #stop()} waits for the tasks of a starting job to run, so
   *     that it can take its savepoint
   */
  FlinkJobExecution(String streamletRef, JobClient client, Duration pollInterval, String savepointDirectory,
      boolean ownsJob, JobTasks tasks, Duration taskStartWait) {
    this.streamletRef = streamletRef;
    this.tasks = tasks;
    this.taskStartWait = taskStartWait;
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
    // status, then task states, one after the other on this thread: an older answer never overwrites a newer one
    JobStatus s;
    try {
      s = client.getJobStatus().get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException | TimeoutException e) {
      return; // no answer this time: the job's end arrives through its result
    }
    Map<ExecutionState, Integer> states = null;
    if (s == JobStatus.RUNNING && tasks != null) {
      try {
        states = tasks.states(client.getJobID()).get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        states = Map.of(); // a cluster that cannot tell (yet) leaves the job not running rather than guessing
      }
    }
    if (!completed.isDone()) {
      update(s, states);
    }
  }

  /** @param states the tasks' states, or null when they are not looked at */
  private void update(JobStatus next, Map<ExecutionState, Integer> states) {
    JobStatus previous = status;
    boolean wasRunning = running;
    status = next;
    taskStates = states;
    running = next == JobStatus.RUNNING && (states == null || JobTasks.allRunning(states));
    if (previous != next) {
      log.info("Streamlet '{}' job {} is {}", streamletRef, client.getJobID(), next);
    }
    if (running && !wasRunning && states != null) {
      log.info("Streamlet '{}' job {}: all {} tasks are running", streamletRef, client.getJobID(),
          states.values().stream().mapToInt(Integer::intValue).sum());
    }
    if (running) {
      ready.complete(null);
    }
  }

  private void finished(Throwable failure) {
    poller.shutdownNow();
    if (tasks != null) {
      tasks.close();
    }
    if (failure == null) {
      update(JobStatus.FINISHED, null);
      ready.completeExceptionally(new IllegalStateException("Streamlet '" + streamletRef + "' ended before running"));
      completed.complete(null);
      return;
    }
    if (aborted != null) {
      update(JobStatus.FAILED, null);
      ready.completeExceptionally(aborted);
      completed.completeExceptionally(aborted);
      return;
    }
    boolean cancelled = stopping != null;
    // a stop with savepoint ends the job as FINISHED (failure == null above); a cancel as a failure
    update(cancelled ? JobStatus.CANCELED : JobStatus.FAILED, null);
    if (cancelled) {
      ready.completeExceptionally(new IllegalStateException("Streamlet '" + streamletRef + "' was stopped"));
      completed.complete(null);
    } else {
      log.error("Streamlet '{}' job {} failed", streamletRef, client.getJobID(), failure);
      ready.completeExceptionally(failure);
      completed.completeExceptionally(failure);
    }
  }

  /**
   * Ends a job that cannot succeed however often it restarts (its state cannot be restored): logs the
   * reason once, cancels the job, and fails {@link #ready()} and {@link #completed()} with it.
   */
  void abort(RuntimeException reason) {
    if (completed.isDone() || aborted != null) {
      return;
    }
    aborted = reason;
    log.error(reason.getMessage());
    cancel();
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
  public boolean running() {
    return running;
  }

  @Override
  public String describe() {
    Map<ExecutionState, Integer> states = taskStates;
    return status == JobStatus.RUNNING && !running && states != null
        ? "RUNNING, tasks " + (states.isEmpty() ? "unknown" : states.toString())
        : status.name();
  }

  @Override
  public CompletableFuture<Void> ready() {
    return ready;
  }

  @Override
  public CompletableFuture<Void> completed() {
    return completed;
  }

  /** Whether the job is on its way to running: submitted, created, or RUNNING with tasks still starting. */
  private boolean starting() {
    JobStatus s = status;
    return s == JobStatus.INITIALIZING || s == JobStatus.CREATED || s == JobStatus.RUNNING
        || s == JobStatus.RESTARTING;
  }

  private void stopWithSavepointOnceRunning(long deadlineNanos) {
    if (completed.isDone()) {
      return;
    }
    if (!running && starting() && System.nanoTime() < deadlineNanos) {
      poller.schedule(() -> stopWithSavepointOnceRunning(deadlineNanos), 100, TimeUnit.MILLISECONDS);
      return;
    }
    if (!running) {
      log.warn("Streamlet '{}' (job {}) is {} after waiting {} for its tasks; trying the savepoint anyway",
          streamletRef, client.getJobID(), describe(), taskStartWait);
    }
    log.info("Stopping streamlet '{}' (job {}) with a savepoint", streamletRef, client.getJobID());
    client.stopWithSavepoint(false, savepointDirectory, SavepointFormatType.CANONICAL).whenComplete((path, failure) -> {
      if (failure == null) {
        log.info("Streamlet '{}' stopped with savepoint {}", streamletRef, path);
      } else if (!completed.isDone()) {
        log.warn("Stop with savepoint of streamlet '{}' failed ({}); cancelling it", streamletRef, failure.toString());
        cancel();
      }
    });
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
      } else if (savepointDirectory != null && (running || starting())) {
        // a savepoint needs every task running: a job that is still starting gets a bounded wait for them
        if (!running) {
          log.info("Stopping streamlet '{}' (job {}, {}) once its tasks run, waiting up to {}",
              streamletRef, client.getJobID(), describe(), taskStartWait);
        }
        stopWithSavepointOnceRunning(System.nanoTime() + taskStartWait.toNanos());
        completed.handle((ignored, failure) -> stopping.complete(null));
      } else {
        cancel();
        completed.handle((ignored, failure) -> stopping.complete(null));
      }
    }
    return stopping;
  }
}
