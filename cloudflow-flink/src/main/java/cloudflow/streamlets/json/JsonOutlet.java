package cloudflow.streamlets.json;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.KeyFunction;
import cloudflow.streamlets.RecordOutlet;
import cloudflow.streamlets.RoundRobinPartitioner;
import cloudflow.streamlets.SchemaDefinition;

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
public final class JsonOutlet<T> extends RecordOutlet<T, JsonOutlet<T>> {

  private static final long serialVersionUID = 1L;

  private JsonOutlet(String name, KeyFunction<T> partitioner, Class<T> recordClass) {
    super(name, partitioner, recordClass);
  }

  /** Creates an outlet named {@code name}; {@code partitioner} computes each record's Kafka key. */
  public static <T> JsonOutlet<T> create(String name, KeyFunction<T> partitioner, Class<T> recordClass) {
    return new JsonOutlet<>(name, partitioner, recordClass);
  }

  /** Creates an outlet whose records carry no key and are spread over all partitions. */
  public static <T> JsonOutlet<T> create(String name, Class<T> recordClass) {
    return new JsonOutlet<>(name, RoundRobinPartitioner.getInstance(), recordClass);
  }

  @Override
  public Codec<T> codec() {
    return new JsonCodec<>(recordClass());
  }

  @Override
  public SchemaDefinition schemaDefinition() {
    return JsonCodec.schemaDefinition(recordClass());
  }

  @Override
  protected JsonOutlet<T> copy(KeyFunction<T> partitioner) {
    return new JsonOutlet<>(name(), partitioner, recordClass());
  }
}
