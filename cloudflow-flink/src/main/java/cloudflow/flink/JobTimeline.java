package cloudflow.flink;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a streamlet's execution saw of its job over time, beyond its current status: when it restarted
 * and since when it runs. The health checks judge restart loops and stalled checkpoints by it.
 *
 * @param restarts when each restart was seen, oldest first (the most recent ones only, enough to count
 *     restarts within a health window)
 * @param runningSince since when every task of the job runs without a restart in between; {@code null}
 *     while it does not run
 * @param checkpointInterval the job's checkpoint interval; {@code null} when checkpointing is off or
 *     the cluster does not say
 */
public record JobTimeline(List<Instant> restarts, Instant runningSince, Duration checkpointInterval) {

  /** A timeline that knows nothing: no restarts seen, not running, checkpointing unknown. */
  public static final JobTimeline UNKNOWN = new JobTimeline(List.of(), null, null);

  /** Copies the restarts. */
  public JobTimeline {
    restarts = List.copyOf(restarts);
  }
}
