package cloudflow.flink;

import java.time.Instant;

/**
 * A completed checkpoint or savepoint of a streamlet's job, as the cluster reported it.
 *
 * @param id the checkpoint's id within its job
 * @param completedAt when it completed
 * @param sizeBytes its size (the checkpointed state), in bytes
 * @param path where it is stored (its external pointer), or {@code null} when the cluster did not say
 * @param savepoint whether it is a savepoint rather than a periodic checkpoint
 */
public record CheckpointSummary(long id, Instant completedAt, long sizeBytes, String path, boolean savepoint) {}
