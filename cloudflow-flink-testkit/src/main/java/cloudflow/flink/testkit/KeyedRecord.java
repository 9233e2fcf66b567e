package cloudflow.flink.testkit;

/**
 * A record written to an outlet together with the key the outlet's partitioning function computed
 * for it, which is what the Kafka runtime would use as the Kafka record key.
 *
 * @param key the key, or {@code null} for an outlet without a partitioner (round robin)
 * @param record the record, as decoded with the outlet's codec
 * @param <T> the record type
 */
public record KeyedRecord<T>(String key, T record) {}
