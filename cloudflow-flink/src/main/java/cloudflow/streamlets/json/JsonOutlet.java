package cloudflow.streamlets.json;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.KeyFunction;
import cloudflow.streamlets.RoundRobinPartitioner;
import cloudflow.streamlets.SchemaDefinition;
import java.io.Serializable;
import java.util.Objects;

/**
 * An outlet of JSON records, for a topic that a system outside the blueprint reads as JSON; each
 * record is written by Jackson ({@link JsonCodec}) and keyed by a partitioning function.
 *
 * <pre>{@code
 * JsonOutlet<Order> out = JsonOutlet.create("out", Order::id, Order.class);
 * }</pre>
 *
 * @param <T> the record class
 */
public final class JsonOutlet<T> implements CodecOutlet<T>, Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final KeyFunction<T> partitioner;
  private final Class<T> recordClass;

  private JsonOutlet(String name, KeyFunction<T> partitioner, Class<T> recordClass) {
    this.name = Objects.requireNonNull(name, "name");
    this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
    this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
  }

  /** Creates an outlet named {@code name}; {@code partitioner} computes each record's Kafka key. */
  public static <T> JsonOutlet<T> create(String name, KeyFunction<T> partitioner, Class<T> recordClass) {
    return new JsonOutlet<>(name, partitioner, recordClass);
  }

  /** Creates an outlet whose records carry no key and are spread over all partitions. */
  public static <T> JsonOutlet<T> create(String name, Class<T> recordClass) {
    return new JsonOutlet<>(name, RoundRobinPartitioner.getInstance(), recordClass);
  }

  /** A copy of this outlet with another partitioning function. */
  public JsonOutlet<T> withPartitioner(KeyFunction<T> partitioner) {
    return new JsonOutlet<>(name, partitioner, recordClass);
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
  public Codec<T> codec() {
    return new JsonCodec<>(recordClass);
  }

  @Override
  public KeyFunction<T> partitioner() {
    return partitioner;
  }

  @Override
  public SchemaDefinition schemaDefinition() {
    return JsonCodec.schemaDefinition(recordClass);
  }

  @Override
  public String toString() {
    return "JsonOutlet(" + name + ", " + recordClass.getName() + ")";
  }
}
