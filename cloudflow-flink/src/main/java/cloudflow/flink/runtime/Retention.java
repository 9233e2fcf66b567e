package cloudflow.flink.runtime;

import cloudflow.flink.plan.StreamletOptions;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * How many checkpoints and savepoints a streamlet's directory keeps, and for how long: applied at
 * startup and after each savepoint ({@link CheckpointRecovery#prune}). The point a restart would
 * resume from is kept whatever these say, and so are the checkpoints of the running job (Flink
 * itself keeps {@code execution.checkpointing.num-retained} of those).
 *
 * @param checkpoints complete checkpoints kept, all runs together, newest first (at least 1)
 * @param savepoints savepoints kept, newest first
 * @param maxAge older checkpoints and savepoints are deleted; {@code null}: no limit
 */
record Retention(int checkpoints, int savepoints, Duration maxAge) {

  /** From the job's configuration: {@code execution.checkpointing.num-retained} and {@link StreamletOptions}. */
  static Retention of(ReadableConfig configuration) {
    return new Retention(
        Math.max(1, configuration.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)),
        Math.max(0, configuration.get(StreamletOptions.SAVEPOINTS_RETAINED)),
        ageLimit(configuration.get(StreamletOptions.RETENTION_MAX_AGE)));
  }

  /** 0 (the option's default) means no limit. */
  private static Duration ageLimit(Duration maxAge) {
    return maxAge == null || maxAge.isZero() || maxAge.isNegative() ? null : maxAge;
  }
}
