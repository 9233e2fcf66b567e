package cloudflow.streamlets.json;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.InletErrorHandler;
import cloudflow.streamlets.RecordInlet;
import cloudflow.streamlets.SchemaDefinition;
import java.util.Objects;

/**
 * An inlet of JSON records, for a topic that a system outside the blueprint writes as JSON; each
 * Kafka value is mapped to {@code recordClass} by Jackson ({@link JsonCodec}).
 *
 * <pre>{@code
 * record Order(String id, long amount) {}
 * JsonInlet<Order> in = JsonInlet.create("in", Order.class);
 * }</pre>
 *
 * @param <T> the record class
 */
public final class JsonInlet<T> extends RecordInlet<T, JsonInlet<T>> {

  private static final long serialVersionUID = 1L;

  private JsonInlet(String name, Class<T> recordClass, boolean hasUniqueGroupId, InletErrorHandler<T> errorHandler) {
    super(name, recordClass, hasUniqueGroupId, errorHandler);
  }

  /** Creates an inlet named {@code name} for records of {@code recordClass}. */
  public static <T> JsonInlet<T> create(String name, Class<T> recordClass) {
    return new JsonInlet<>(name, recordClass, false, null);
  }

  /** Creates an inlet; with {@code hasUniqueGroupId} every running instance reads all records. */
  public static <T> JsonInlet<T> create(String name, Class<T> recordClass, boolean hasUniqueGroupId) {
    return new JsonInlet<>(name, recordClass, hasUniqueGroupId, null);
  }

  /**
   * Creates an inlet whose undecodable records go to {@code errorHandler} first: a replacement it
   * returns is passed on; when it returns empty, the inlet's bad-record policy applies.
   */
  public static <T> JsonInlet<T> create(
      String name, Class<T> recordClass, boolean hasUniqueGroupId, InletErrorHandler<T> errorHandler) {
    return new JsonInlet<>(name, recordClass, hasUniqueGroupId, Objects.requireNonNull(errorHandler, "errorHandler"));
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
  protected JsonInlet<T> copy(boolean uniqueGroupId, InletErrorHandler<T> handler) {
    return new JsonInlet<>(name(), recordClass(), uniqueGroupId, handler);
  }
}
