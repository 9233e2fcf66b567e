package cloudflow.flink.runtime;

import cloudflow.flink.CheckpointSummary;
import cloudflow.flink.JobSetup;
import cloudflow.flink.JobTimeline;
import cloudflow.flink.StoredRestorePoint;
import cloudflow.flink.StreamletControlException;
import cloudflow.flink.StreamletExecution;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a submitted Flink job through its {@link JobClient}: polls its status, and while it is
 * RUNNING what its cluster says about it ({@link JobTasks}: task states, restarts, checkpoints), so
 * that health can be answered without a round trip; turns the job's end into {@link #completed()}.
 *
 * <p>The job runs when its status is RUNNING <em>and</em> every task is: a RUNNING job may still be
 * deploying its tasks, or waiting for task slots after a restart. Without a view of the tasks (a job
 * on a cluster this application did not start, or inside a Flink cluster) the status alone counts.
 */
final class FlinkJobExecution implements StreamletExecution {

  private static final Logger log = LoggerFactory.getLogger(FlinkJobExecution.class);
  /** How long one poll waits for the cluster's answer. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
  /** Restart times kept: more than any sane restart limit of the health checks. */
  private static final int RESTARTS_KEPT = 256;

  private final String streamletRef;
  private final JobClient client;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> completed = new CompletableFuture<>();
  private final ScheduledExecutorService poller;
  /** Orders a poll's answer against the job's end: an answer read before the end must not overwrite it. */
  private final Object statusLock = new Object();
  /** Whether the job's end is recorded; guarded by {@link #statusLock}. */
  private boolean ended;
  private volatile JobStatus status = JobStatus.INITIALIZING;
  /** The tasks' states when the job was last seen RUNNING, or null. */
  private volatile Map<ExecutionState, Integer> taskStates;
  private volatile boolean running;
  /** Restarts as the cluster last counted them. */
  private volatile int restarts;
  /** When the restarts were seen, oldest first, at most {@link #RESTARTS_KEPT}; guarded by this deque. */
  private final Deque<Instant> restartTimes = new ArrayDeque<>();
  /** Since when every task runs without a restart in between, or null. */
  private volatile Instant runningSince;
  private volatile CheckpointSummary lastCheckpoint;
  private volatile Duration checkpointInterval;
  /** Where the task states come from; null: from the job status only. */
  private final JobTasks tasks;
  /** How long stop() waits for a job that is starting to run all its tasks before its savepoint. */
  private final Duration taskStartWait;
  /** Where stop() takes its savepoint; {@code null}: stop() cancels. */
  private final String savepointDirectory;
  /** Whether stop() stops the job; not when the Flink cluster that runs the application owns it. */
  private final boolean ownsJob;
  private volatile CompletableFuture<Void> stopping;
  /** The streamlet's directory, retention and periodic savepoints; null: not known (set once, by the runner). */
  private volatile StreamletState state;
  /** The savepoint the job was stopped with, once it was. */
  private volatile String stoppedWith;
  /**
   * Done when a stop with a savepoint has its answer (the path, or the failure that made it cancel), or
   * when no such stop is made. A cluster can report the job FINISHED before the savepoint request's own
   * answer arrives (a remote cluster's REST client polls for it): stop() waits for both.
   */
  private final CompletableFuture<Void> savepointStopAnswered = new CompletableFuture<>();
  /** Whether a periodic savepoint is under way: the next one waits for it. */
  private final AtomicBoolean periodicSavepoint = new AtomicBoolean();
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
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // no answer this time (a client may also throw instead of failing its future): the job's end
      // arrives through its result, and a poll that threw would end this scheduled polling for good
      return;
    }
    JobTasks.View view = null;
    if (s == JobStatus.RUNNING && tasks != null) {
      try {
        view = tasks.view(client.getJobID()).get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        // a cluster that cannot tell (yet) leaves the job not running rather than guessing
        view = new JobTasks.View(Map.of(), -1, null, null);
      }
    }
    synchronized (statusLock) {
      if (!ended) {
        update(s, view);
      }
    }
    // outside the lock: what waits for readiness runs on this thread and may stop the job, which ends it
    if (running) {
      ready.complete(null);
    }
  }

  /** Records the job's end; no poll answer after it changes the status again. */
  private void end(JobStatus terminal) {
    synchronized (statusLock) {
      ended = true;
      update(terminal, null);
    }
  }

  /** @param view what the cluster says about the job, or null when it is not asked */
  private void update(JobStatus next, JobTasks.View view) {
    JobStatus previous = status;
    boolean wasRunning = running;
    Map<ExecutionState, Integer> states = view == null ? null : view.states();
    Instant now = Instant.now();
    boolean restarted = view != null && view.restarts() > restarts;
    if (restarted) {
      int more = view.restarts() - restarts;
      restarts = view.restarts();
      synchronized (restartTimes) {
        for (int i = 0; i < more; i++) {
          restartTimes.addLast(now);
        }
        while (restartTimes.size() > RESTARTS_KEPT) {
          restartTimes.removeFirst();
        }
      }
      log.warn("Streamlet '{}' job {} restarted (restart {})", streamletRef, client.getJobID(), restarts);
    }
    if (view != null) {
      if (view.lastCheckpoint() != null) {
        lastCheckpoint = view.lastCheckpoint();
      }
      checkpointInterval = view.checkpointInterval();
    }
    status = next;
    taskStates = states;
    running = next == JobStatus.RUNNING && (states == null || JobTasks.allRunning(states));
    // a restart between two polls that already runs again still starts the clock anew
    runningSince = !running ? null : (!wasRunning || restarted || runningSince == null) ? now : runningSince;
    if (previous != next) {
      log.info("Streamlet '{}' job {} is {}", streamletRef, client.getJobID(), next);
    }
    if (running && !wasRunning && states != null) {
      log.info("Streamlet '{}' job {}: all {} tasks are running", streamletRef, client.getJobID(),
          states.values().stream().mapToInt(Integer::intValue).sum());
    }
  }

  private void finished(Throwable failure) {
    try {
      recordEnd(failure);
    } finally {
      // after the end is recorded: a stop() meanwhile sees the job ended, not a poller that refuses its work
      poller.shutdownNow();
      if (tasks != null) {
        tasks.close();
      }
    }
  }

  private void recordEnd(Throwable failure) {
    if (failure == null) {
      end(JobStatus.FINISHED);
      ready.completeExceptionally(new IllegalStateException("Streamlet '" + streamletRef + "' ended before running"));
      completed.complete(null);
      return;
    }
    if (aborted != null) {
      end(JobStatus.FAILED);
      ready.completeExceptionally(aborted);
      completed.completeExceptionally(aborted);
      return;
    }
    boolean cancelled = stopping != null;
    // a stop with savepoint ends the job as FINISHED (failure == null above); a cancel as a failure
    end(cancelled ? JobStatus.CANCELED : JobStatus.FAILED);
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
  public int restarts() {
    return restarts;
  }

  @Override
  public Optional<CheckpointSummary> lastCompletedCheckpoint() {
    return Optional.ofNullable(lastCheckpoint);
  }

  @Override
  public JobTimeline timeline() {
    List<Instant> times;
    synchronized (restartTimes) {
      times = List.copyOf(restartTimes);
    }
    return new JobTimeline(times, runningSince, checkpointInterval);
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
      savepointStopAnswered.complete(null);
      return;
    }
    if (!running && starting() && System.nanoTime() < deadlineNanos) {
      try {
        poller.schedule(() -> stopWithSavepointOnceRunning(deadlineNanos), 100, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException jobEnded) {
        savepointStopAnswered.complete(null); // the poller stops only once the job has ended
      }
      return;
    }
    if (!running) {
      log.warn("Streamlet '{}' (job {}) is {} after waiting {} for its tasks; trying the savepoint anyway",
          streamletRef, client.getJobID(), describe(), taskStartWait);
    }
    log.info("Stopping streamlet '{}' (job {}) with a savepoint", streamletRef, client.getJobID());
    client.stopWithSavepoint(false, savepointDirectory, SavepointFormatType.CANONICAL).whenComplete((path, failure) -> {
      if (failure == null) {
        stoppedWith = path;
        log.info("Streamlet '{}' stopped with savepoint {}", streamletRef, path);
      } else if (!completed.isDone()) {
        log.warn("Stop with savepoint of streamlet '{}' failed ({}); cancelling it", streamletRef, failure.toString());
        cancel();
      }
      savepointStopAnswered.complete(null);
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
        completed.handle((ignored, failure) -> savepointStopAnswered
            .completeOnTimeout(null, ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((answered, never) -> stopping.complete(null)));
        stopWithSavepointOnceRunning(System.nanoTime() + taskStartWait.toNanos());
      } else {
        cancel();
        completed.handle((ignored, failure) -> stopping.complete(null));
      }
    }
    return stopping;
  }

  /**
   * Tells the job about its streamlet's state on disk, and starts its periodic savepoints if it has
   * an interval; called once by the runner right after submission.
   */
  FlinkJobExecution withState(StreamletState state) {
    this.state = state;
    Duration interval = state.savepointInterval();
    if (interval != null && interval.toMillis() > 0 && ownsJob && !completed.isDone()) {
      log.info("Streamlet '{}' takes a savepoint every {}", streamletRef, TimeUtils.formatWithHighestUnit(interval));
      poller.scheduleWithFixedDelay(this::periodicSavepoint, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void periodicSavepoint() {
    // skipped while the job does not run (a savepoint would fail) or the last one is still under way
    if (running && stopping == null && periodicSavepoint.compareAndSet(false, true)) {
      CompletableFuture<String> taken;
      try {
        taken = savepoint();
      } catch (RuntimeException e) {
        // a client that throws instead of failing its future must not end the periodic savepoints
        taken = CompletableFuture.failedFuture(e);
      }
      taken.whenComplete((path, failure) -> {
        periodicSavepoint.set(false);
        if (failure != null) {
          log.warn("Periodic savepoint of streamlet '{}' failed: {}", streamletRef, failure.getMessage());
        }
      });
    }
  }

  @Override
  public Optional<String> jobId() {
    return Optional.of(client.getJobID().toHexString());
  }

  @Override
  public Optional<JobSetup> setup() {
    return Optional.ofNullable(state).map(StreamletState::setup);
  }

  @Override
  public List<StoredRestorePoint> savepointsOnDisk() {
    StreamletState s = state;
    return s == null ? List.of() : s.savepoints();
  }

  @Override
  public Optional<String> stoppedWithSavepoint() {
    return Optional.ofNullable(stoppedWith);
  }

  @Override
  public CompletableFuture<String> savepoint() {
    if (stopping != null || completed.isDone()) {
      return CompletableFuture.failedFuture(new StreamletControlException.Conflict(
          "Streamlet '" + streamletRef + "' is " + (completed.isDone() ? describe() : "stopping")
              + ": it takes no more savepoints"));
    }
    if (!running) {
      return CompletableFuture.failedFuture(new StreamletControlException.Conflict(
          "Streamlet '" + streamletRef + "' is " + describe() + ": a savepoint needs the job and every one of its "
              + "tasks running; try again once readiness is UP"));
    }
    log.info("Taking a savepoint of streamlet '{}' (job {})", streamletRef, client.getJobID());
    return client.triggerSavepoint(savepointDirectory, SavepointFormatType.CANONICAL).handle((path, failure) -> {
      if (failure != null) {
        throw new StreamletControlException.Failed(
            "Savepoint of streamlet '" + streamletRef + "' (job " + client.getJobID() + ") failed: " + rootMessage(failure),
            failure);
      }
      log.info("Streamlet '{}' took savepoint {}", streamletRef, path);
      StreamletState s = state;
      if (s != null) {
        s.prune(streamletRef, client.getJobID().toHexString());
      }
      return path;
    });
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}
