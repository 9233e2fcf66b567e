package cloudflow.flink.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.CheckpointSummary;
import cloudflow.flink.JobTimeline;
import cloudflow.flink.StreamletExecution;
import cloudflow.flink.plan.StreamletOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.Test;

class StreamletHealthPolicyTest {

  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
  private static final StreamletHealthPolicy POLICY =
      new StreamletHealthPolicy(3, Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofMinutes(5));

  @Test
  void aRunningJobWithoutRestartsIsLiveAndReady() {
    Job job = Job.running(NOW.minusSeconds(1)).checkpointedAt(NOW.minusSeconds(5));
    assertThat(POLICY.liveness(job, NOW).up()).isTrue();
    assertThat(POLICY.readiness(job, NOW)).isEqualTo(new StreamletHealthPolicy.Verdict(true, "RUNNING"));
  }

  @Test
  void moreRestartsThanTheLimitWithinTheWindowIsARestartLoopForBothProbes() {
    Job job = Job.running(NOW.minusSeconds(1)).restartedAt(NOW.minusSeconds(100), NOW.minusSeconds(60),
        NOW.minusSeconds(20), NOW.minusSeconds(1));
    StreamletHealthPolicy.Verdict liveness = POLICY.liveness(job, NOW);
    assertThat(liveness.up()).isFalse();
    assertThat(liveness.detail()).contains("restart loop: 4 restarts in the last 120 s (more than 3)");
    assertThat(POLICY.readiness(job, NOW).up()).isFalse();
    assertThat(POLICY.readiness(job, NOW).detail()).contains("restart loop");
  }

  @Test
  void restartsUpToTheLimitOrOutsideTheWindowAreLive() {
    Job atLimit = Job.running(NOW.minusSeconds(40)).restartedAt(NOW.minusSeconds(100), NOW.minusSeconds(60),
        NOW.minusSeconds(41));
    assertThat(POLICY.liveness(atLimit, NOW).up()).isTrue();
    Job old = Job.running(NOW.minusSeconds(40)).restartedAt(NOW.minusSeconds(500), NOW.minusSeconds(400),
        NOW.minusSeconds(300), NOW.minusSeconds(200), NOW.minusSeconds(41));
    assertThat(POLICY.liveness(old, NOW).up()).isTrue();
  }

  @Test
  void afterARestartReadinessWaitsForTheSettleTimeWithoutAnotherRestart() {
    Job settling = Job.running(NOW.minusSeconds(10)).restartedAt(NOW.minusSeconds(12));
    StreamletHealthPolicy.Verdict verdict = POLICY.readiness(settling, NOW);
    assertThat(verdict.up()).isFalse();
    assertThat(verdict.detail()).isEqualTo(
        "RUNNING, settling after restart 1: running for 10 s of the 30 s without a restart before it is ready");
    assertThat(POLICY.liveness(settling, NOW).up()).isTrue();

    Job settled = Job.running(NOW.minusSeconds(31)).restartedAt(NOW.minusSeconds(33));
    assertThat(POLICY.readiness(settled, NOW).up()).isTrue();
  }

  @Test
  void aJobWhoseTasksDoNotAllRunIsNotReadyButLive() {
    Job starting = new Job(JobStatus.RUNNING, false, new JobTimeline(List.of(), null, Duration.ofSeconds(10)), null);
    assertThat(POLICY.readiness(starting, NOW).up()).isFalse();
    assertThat(POLICY.liveness(starting, NOW).up()).isTrue();
  }

  @Test
  void aFailedJobIsNeitherLiveNorReady() {
    Job failed = new Job(JobStatus.FAILED, false, JobTimeline.UNKNOWN, null);
    assertThat(POLICY.liveness(failed, NOW)).isEqualTo(new StreamletHealthPolicy.Verdict(false, "FAILED"));
    assertThat(POLICY.readiness(failed, NOW).up()).isFalse();
  }

  @Test
  void noCheckpointForLongerThanTheStallWindowWhileRunningIsNotLiveButStillReady() {
    Job stalled = Job.running(NOW.minusSeconds(3600)).checkpointedAt(NOW.minusSeconds(301));
    StreamletHealthPolicy.Verdict liveness = POLICY.liveness(stalled, NOW);
    assertThat(liveness.up()).isFalse();
    assertThat(liveness.detail()).startsWith("RUNNING, checkpoints stalled: none completed for 301 s (limit 300 s, "
        + "checkpoint interval 10 s); last completed: checkpoint 7 at ");
    assertThat(POLICY.readiness(stalled, NOW).up()).isTrue();

    assertThat(POLICY.liveness(Job.running(NOW.minusSeconds(3600)).checkpointedAt(NOW.minusSeconds(299)), NOW).up())
        .isTrue();
  }

  @Test
  void theStallClockStartsWhenTheTasksRunAndWithoutCheckpointingThereIsNoStall() {
    Job neverCheckpointed = Job.running(NOW.minusSeconds(301));
    assertThat(POLICY.liveness(neverCheckpointed, NOW).detail()).endsWith("; none completed yet");
    // a checkpoint from before the restart does not count against the job that runs again
    assertThat(POLICY.liveness(Job.running(NOW.minusSeconds(100)).checkpointedAt(NOW.minusSeconds(900)), NOW).up())
        .isTrue();
    Job noCheckpointing = new Job(JobStatus.RUNNING, true, new JobTimeline(List.of(), NOW.minusSeconds(3600), null), null);
    assertThat(POLICY.liveness(noCheckpointing, NOW).up()).isTrue();
  }

  @Test
  void theStallWindowIsAtLeastTwoCheckpointIntervals() {
    assertThat(POLICY.stallWindow(Duration.ofSeconds(10))).isEqualTo(Duration.ofMinutes(5));
    assertThat(POLICY.stallWindow(Duration.ofMinutes(4))).isEqualTo(Duration.ofMinutes(8));
  }

  @Test
  void invalidSettingsAreRefused() {
    assertThatThrownBy(() -> new StreamletHealthPolicy(-1, Duration.ofMinutes(1), Duration.ZERO, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRestarts");
    assertThatThrownBy(() -> new StreamletHealthPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("restartWindow");
  }

  /**
   * The defaults agree with the default restart strategy: the restarts liveness tolerates plus one fit
   * into its window at the strategy's backoff, and come before the strategy gives up, so a restart loop
   * turns liveness DOWN first (and readiness never flaps meanwhile: each run is shorter than the settle time).
   */
  @Test
  void withTheDefaultsLivenessSeesARestartLoopBeforeTheRestartStrategyGivesUp() {
    StreamletHealthPolicy defaults = StreamletHealthPolicy.DEFAULTS;
    int restartsToTrip = defaults.maxRestarts() + 1;
    assertThat(restartsToTrip).isLessThanOrEqualTo(StreamletOptions.RESTART_ATTEMPTS.defaultValue());
    double multiplier = RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER.defaultValue();
    double jitter = RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR.defaultValue();
    double backoffMillis = 0;
    double delay = StreamletOptions.RESTART_INITIAL_BACKOFF.defaultValue().toMillis();
    for (int i = 1; i < restartsToTrip; i++) { // the first restart starts the window
      backoffMillis += Math.min(delay, StreamletOptions.RESTART_MAX_BACKOFF.defaultValue().toMillis()) * (1 + jitter);
      delay *= multiplier;
    }
    assertThat(Duration.ofMillis((long) backoffMillis)).isLessThan(defaults.restartWindow().dividedBy(2));
  }

  /** A job as its execution last saw it. */
  private record Job(JobStatus status, boolean running, JobTimeline timeline, CheckpointSummary checkpoint)
      implements StreamletExecution {

    static Job running(Instant since) {
      return new Job(JobStatus.RUNNING, true, new JobTimeline(List.of(), since, Duration.ofSeconds(10)), null);
    }

    Job restartedAt(Instant... times) {
      return new Job(status, running, new JobTimeline(List.of(times), timeline.runningSince(), timeline.checkpointInterval()),
          checkpoint);
    }

    Job checkpointedAt(Instant time) {
      return new Job(status, running, timeline, new CheckpointSummary(7, time, 1024, "file:/tmp/chk-7", false));
    }

    @Override
    public String streamletRef() {
      return "processor";
    }

    @Override
    public int restarts() {
      return timeline.restarts().size();
    }

    @Override
    public Optional<CheckpointSummary> lastCompletedCheckpoint() {
      return Optional.ofNullable(checkpoint);
    }

    @Override
    public String describe() {
      return status.name();
    }

    @Override
    public CompletableFuture<Void> ready() {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Void> completed() {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Void> stop() {
      return completed();
    }
  }
}
