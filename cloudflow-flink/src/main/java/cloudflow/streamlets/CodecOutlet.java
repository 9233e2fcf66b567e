package cloudflow.streamlets;

/**
 * An outlet whose records of type {@code T} are encoded to bytes by a {@link Codec} and keyed by a
 * {@link KeyFunction}.
 *
 * @param <T> the record type
 */
public interface CodecOutlet<T> extends Outlet {

  /** The class of the records written to this outlet. */
  Class<T> recordClass();

  /** Encodes records before they are written to the outlet's topic. */
  Codec<T> codec();

  /**
   * The partitioning function: its result becomes the Kafka record key, so records with the same key
   * land in the same partition, in order.
   */
  KeyFunction<T> partitioner();

  /** The schema of the records as text (for Avro, the JSON schema); Cloudflow's accessor. */
  default String schemaAsString() {
    return schemaDefinition().schema();
  }
}
