package cloudflow.streamlets.json;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.InletErrorHandler;
import cloudflow.streamlets.SchemaDefinition;
import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

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
public final class JsonInlet<T> implements CodecInlet<T>, Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final Class<T> recordClass;
  private final boolean hasUniqueGroupId;
  private final InletErrorHandler<T> errorHandler;

  private JsonInlet(String name, Class<T> recordClass, boolean hasUniqueGroupId, InletErrorHandler<T> errorHandler) {
    this.name = Objects.requireNonNull(name, "name");
    this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
    this.hasUniqueGroupId = hasUniqueGroupId;
    this.errorHandler = errorHandler;
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

  /** A copy of this inlet that reads with a consumer group of its own. */
  public JsonInlet<T> withUniqueGroupId() {
    return new JsonInlet<>(name, recordClass, true, errorHandler);
  }

  /** A copy of this inlet with another handler of undecodable records. */
  public JsonInlet<T> withErrorHandler(InletErrorHandler<T> handler) {
    return new JsonInlet<>(name, recordClass, hasUniqueGroupId, Objects.requireNonNull(handler, "handler"));
  }

  @Override
  public boolean hasUniqueGroupId() {
    return hasUniqueGroupId;
  }

  @Override
  public Optional<InletErrorHandler<T>> errorHandler() {
    return Optional.ofNullable(errorHandler);
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
  public SchemaDefinition schemaDefinition() {
    return JsonCodec.schemaDefinition(recordClass);
  }

  @Override
  public String toString() {
    return "JsonInlet(" + name + ", " + recordClass.getName() + ")";
  }
}
