package cloudflow.flink.health;

import cloudflow.flink.CheckpointSummary;
import cloudflow.flink.JobTimeline;
import cloudflow.flink.StreamletExecution;
import cloudflow.flink.plan.StreamletOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;

/**
 * Judges a streamlet's job for the two probes, from what its execution last saw; a pure function of
 * that and the time, so the same job reads the same everywhere.
 *
 * <p>Liveness (restart the pod) is DOWN when the job FAILED, when it restarted more than
 * {@code maxRestarts} times within {@code restartWindow} (a restart loop that Flink's restart strategy
 * would only give up on minutes later), or when every task has run for {@code checkpointStall} (at
 * least twice the checkpoint interval) without a checkpoint completing while checkpointing is on.
 *
 * <p>Readiness (send traffic, count as up) is UP only while every task runs; after a restart only once
 * the tasks have run for {@code settleTime} without another restart, so that a restart loop reads DOWN
 * throughout instead of flapping; and never while liveness sees a restart loop. A stalled checkpoint
 * leaves readiness alone: the job still processes (a broker outage, say).
 *
 * @param maxRestarts restarts within the window that are still live
 * @param restartWindow the sliding window restarts are counted in
 * @param settleTime how long the tasks must run after a restart before readiness is UP again
 * @param checkpointStall how long every task may run without a checkpoint completing
 */
public record StreamletHealthPolicy(int maxRestarts, Duration restartWindow, Duration settleTime, Duration checkpointStall) {

  /** The defaults of {@link StreamletOptions} ({@code cloudflow.defaults.health.*}). */
  public static final StreamletHealthPolicy DEFAULTS = new StreamletHealthPolicy(
      StreamletOptions.HEALTH_MAX_RESTARTS.defaultValue(), StreamletOptions.HEALTH_RESTART_WINDOW.defaultValue(),
      StreamletOptions.HEALTH_SETTLE_TIME.defaultValue(), StreamletOptions.HEALTH_CHECKPOINT_STALL.defaultValue());

  /** Validates the settings. */
  public StreamletHealthPolicy {
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("maxRestarts must be 0 or more, not " + maxRestarts);
    }
    requirePositive(restartWindow, "restartWindow");
    Objects.requireNonNull(settleTime, "settleTime");
    if (settleTime.isNegative()) {
      throw new IllegalArgumentException("settleTime must not be negative, not " + settleTime);
    }
    requirePositive(checkpointStall, "checkpointStall");
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, not " + duration);
    }
  }

  /**
   * A probe's answer for one job.
   *
   * @param up whether the job counts as up for the probe
   * @param detail the job's state for people, with the reason when it is down for more than its status
   */
  public record Verdict(boolean up, String detail) {}

  /** Whether the job is live: not FAILED, not restart-looping, its checkpoints not stalled. */
  public Verdict liveness(StreamletExecution execution, Instant now) {
    if (execution.status() == JobStatus.FAILED) {
      return new Verdict(false, execution.describe());
    }
    Optional<String> loop = restartLoop(execution.timeline(), now);
    if (loop.isPresent()) {
      return new Verdict(false, execution.describe() + ", " + loop.get());
    }
    Optional<String> stall = checkpointStall(execution, now);
    return stall.map(reason -> new Verdict(false, execution.describe() + ", " + reason))
        .orElseGet(() -> new Verdict(true, execution.describe()));
  }

  /** Whether the job is ready: every task runs, settled after a restart, not restart-looping. */
  public Verdict readiness(StreamletExecution execution, Instant now) {
    JobTimeline timeline = execution.timeline();
    Optional<String> loop = restartLoop(timeline, now);
    if (loop.isPresent()) {
      return new Verdict(false, execution.describe() + ", " + loop.get());
    }
    if (!execution.running()) {
      return new Verdict(false, execution.describe());
    }
    if (!timeline.restarts().isEmpty() && timeline.runningSince() != null) {
      Duration runs = Duration.between(timeline.runningSince(), now);
      if (runs.compareTo(settleTime) < 0) {
        return new Verdict(false, execution.describe() + ", settling after restart " + execution.restarts()
            + ": running for " + seconds(runs) + " of the " + seconds(settleTime) + " without a restart before it is ready");
      }
    }
    return new Verdict(true, execution.describe());
  }

  /** More than maxRestarts restarts within the window before now. */
  private Optional<String> restartLoop(JobTimeline timeline, Instant now) {
    Instant since = now.minus(restartWindow);
    long recent = timeline.restarts().stream().filter(t -> t.isAfter(since)).count();
    return recent > maxRestarts
        ? Optional.of("restart loop: " + recent + " restarts in the last " + seconds(restartWindow)
            + " (more than " + maxRestarts + ")")
        : Optional.empty();
  }

  /** Every task has run longer than the stall window and no checkpoint completed within it. */
  private Optional<String> checkpointStall(StreamletExecution execution, Instant now) {
    JobTimeline timeline = execution.timeline();
    Duration interval = timeline.checkpointInterval();
    if (interval == null || timeline.runningSince() == null || execution.status() != JobStatus.RUNNING) {
      return Optional.empty();
    }
    Duration window = stallWindow(interval);
    Optional<CheckpointSummary> last = execution.lastCompletedCheckpoint();
    Instant progress = timeline.runningSince();
    if (last.isPresent() && last.get().completedAt().isAfter(progress)) {
      progress = last.get().completedAt();
    }
    Duration quiet = Duration.between(progress, now);
    if (quiet.compareTo(window) <= 0) {
      return Optional.empty();
    }
    return Optional.of("checkpoints stalled: none completed for " + seconds(quiet) + " (limit " + seconds(window)
        + ", checkpoint interval " + seconds(interval) + ")"
        + last.map(c -> "; last completed: checkpoint " + c.id() + " at " + c.completedAt()).orElse("; none completed yet"));
  }

  /** The stall window for a checkpoint interval: checkpointStall, and never under two intervals. */
  public Duration stallWindow(Duration checkpointInterval) {
    Duration twice = checkpointInterval.multipliedBy(2);
    return twice.compareTo(checkpointStall) > 0 ? twice : checkpointStall;
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
