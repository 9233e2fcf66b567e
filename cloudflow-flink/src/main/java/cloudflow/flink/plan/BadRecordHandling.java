package cloudflow.flink.plan;

import java.io.Serializable;
import java.util.Objects;

/**
 * What an inlet does with a record it cannot decode.
 *
 * @param policy fail, skip or dead-letter
 * @param deadLetterTopic where dead-lettered records go (used with {@link Policy#DEAD_LETTER})
 */
public record BadRecordHandling(Policy policy, String deadLetterTopic) implements Serializable {

  /** The default: log the record's topic, partition and offset, count it, and go on. */
  public static final BadRecordHandling SKIP = new BadRecordHandling(Policy.SKIP, null);

  /** The choices. */
  public enum Policy {
    /** The job fails; the record stays unconsumed, so the job fails again on restart until it is fixed. */
    FAIL,
    /** The record is logged (topic, partition, offset) and counted, then dropped. */
    SKIP,
    /** The record's bytes go to the dead-letter topic with headers saying why, and are counted. */
    DEAD_LETTER
  }

  /** Validates the settings. */
  public BadRecordHandling {
    Objects.requireNonNull(policy, "policy");
    if (policy == Policy.DEAD_LETTER && (deadLetterTopic == null || deadLetterTopic.isBlank())) {
      throw new IllegalArgumentException("The dead-letter policy needs a dead-letter topic");
    }
  }
}
