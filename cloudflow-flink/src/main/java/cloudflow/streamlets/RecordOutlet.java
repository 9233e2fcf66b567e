package cloudflow.streamlets;

import java.io.Serializable;
import java.util.Objects;

/**
 * What every outlet of records of a class has in common, whatever their encoding (Avro, Protobuf,
 * JSON): a name, the record class and the partitioning function that gives each record its key. Each
 * kind adds its factories (Cloudflow's {@code create(...)}), codec and schema.
 *
 * @param <T> the record class
 * @param <O> the outlet's own type, which {@link #withPartitioner} returns
 */
public abstract class RecordOutlet<T, O extends RecordOutlet<T, O>> implements CodecOutlet<T>, Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final KeyFunction<T> partitioner;
  private final Class<T> recordClass;

  /** Creates the outlet. */
  protected RecordOutlet(String name, KeyFunction<T> partitioner, Class<T> recordClass) {
    this.name = Objects.requireNonNull(name, "name");
    this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
    this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
  }

  /** A copy of this outlet with another partitioning function. */
  protected abstract O copy(KeyFunction<T> partitioner);

  /** A copy of this outlet with another partitioning function. */
  public O withPartitioner(KeyFunction<T> partitioner) {
    return copy(partitioner);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Class<T> recordClass() {
    return recordClass;
  }

  @Override
  public KeyFunction<T> partitioner() {
    return partitioner;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + name + ", " + recordClass.getName() + ")";
  }
}
