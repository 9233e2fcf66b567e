package cloudflow.flink;

import java.time.Instant;

/**
 * A complete checkpoint or savepoint on disk in a streamlet's directory: something its job can resume from.
 *
 * @param path where it is (the directory holding its {@code _metadata})
 * @param completedAt when its metadata was written
 * @param savepoint whether it is a savepoint rather than a retained checkpoint
 */
public record StoredRestorePoint(String path, Instant completedAt, boolean savepoint) {}
