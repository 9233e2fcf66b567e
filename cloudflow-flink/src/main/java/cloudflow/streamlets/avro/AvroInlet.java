package cloudflow.streamlets.avro;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.InletErrorHandler;
import cloudflow.streamlets.RecordInlet;
import cloudflow.streamlets.SchemaDefinition;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * An inlet of Avro records of a generated class.
 *
 * <pre>{@code
 * AvroInlet<SensorReading> in = AvroInlet.create("in", SensorReading.class);
 * AvroInlet<SensorReading> lenient =
 *     AvroInlet.create("in", SensorReading.class, false, (bytes, cause) -> Optional.of(placeholder()));
 * }</pre>
 *
 * <p>Inlets are serializable (as Cloudflow's were), so a streamlet whose inlets are fields can be
 * captured by a function shipped to Flink's task managers.
 *
 * @param <T> the generated record class
 */
public final class AvroInlet<T extends SpecificRecord> extends RecordInlet<T, AvroInlet<T>> {

  private static final long serialVersionUID = 1L;

  private AvroInlet(String name, Class<T> recordClass, boolean hasUniqueGroupId, InletErrorHandler<T> errorHandler) {
    super(name, recordClass, hasUniqueGroupId, errorHandler);
  }

  /** Creates an inlet named {@code name} for records of {@code recordClass}. */
  public static <T extends SpecificRecord> AvroInlet<T> create(String name, Class<T> recordClass) {
    return new AvroInlet<>(name, recordClass, false, null);
  }

  /**
   * Creates an inlet; with {@code hasUniqueGroupId} every running instance reads all records
   * (a consumer group of its own) instead of sharing them with the other instances.
   */
  public static <T extends SpecificRecord> AvroInlet<T> create(
      String name, Class<T> recordClass, boolean hasUniqueGroupId) {
    return new AvroInlet<>(name, recordClass, hasUniqueGroupId, null);
  }

  /**
   * Creates an inlet whose undecodable records go to {@code errorHandler} first (Cloudflow's
   * signature): a replacement it returns is passed on; when it returns empty, the inlet's bad-record
   * policy applies.
   */
  public static <T extends SpecificRecord> AvroInlet<T> create(
      String name, Class<T> recordClass, boolean hasUniqueGroupId, InletErrorHandler<T> errorHandler) {
    return new AvroInlet<>(name, recordClass, hasUniqueGroupId, Objects.requireNonNull(errorHandler, "errorHandler"));
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
  protected AvroInlet<T> copy(boolean uniqueGroupId, InletErrorHandler<T> handler) {
    return new AvroInlet<>(name(), recordClass(), uniqueGroupId, handler);
  }
}
