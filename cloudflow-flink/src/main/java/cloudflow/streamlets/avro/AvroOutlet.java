package cloudflow.streamlets.avro;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.KeyFunction;
import cloudflow.streamlets.RecordOutlet;
import cloudflow.streamlets.RoundRobinPartitioner;
import cloudflow.streamlets.SchemaDefinition;
import org.apache.avro.specific.SpecificRecord;

/**
 * An outlet of Avro records of a generated class, keyed by a partitioning function.
 *
 * <pre>{@code
 * AvroOutlet<SensorSummary> out = AvroOutlet.create("out", s -> s.getSensorId(), SensorSummary.class);
 * }</pre>
 *
 * <p>Outlets are serializable, like their partitioners, so a streamlet whose outlets are fields can
 * be captured by a function shipped to Flink's task managers.
 *
 * @param <T> the generated record class
 */
public final class AvroOutlet<T extends SpecificRecord> extends RecordOutlet<T, AvroOutlet<T>> {

  private static final long serialVersionUID = 1L;

  private AvroOutlet(String name, KeyFunction<T> partitioner, Class<T> recordClass) {
    super(name, partitioner, recordClass);
  }

  /**
   * Creates an outlet named {@code name}; {@code partitioner} computes each record's Kafka key.
   */
  public static <T extends SpecificRecord> AvroOutlet<T> create(
      String name, KeyFunction<T> partitioner, Class<T> recordClass) {
    return new AvroOutlet<>(name, partitioner, recordClass);
  }

  /** Creates an outlet whose records carry no key and are spread over all partitions. */
  public static <T extends SpecificRecord> AvroOutlet<T> create(String name, Class<T> recordClass) {
    return new AvroOutlet<>(name, RoundRobinPartitioner.getInstance(), recordClass);
  }

  @Override
  public Codec<T> codec() {
    return new AvroCodec<>(recordClass());
  }

  @Override
  public SchemaDefinition schemaDefinition() {
    return AvroSchemas.definitionOf(recordClass());
  }

  @Override
  protected AvroOutlet<T> copy(KeyFunction<T> partitioner) {
    return new AvroOutlet<>(name(), partitioner, recordClass());
  }
}
