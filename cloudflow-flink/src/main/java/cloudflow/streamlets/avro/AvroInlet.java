package cloudflow.streamlets.avro;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.SchemaDefinition;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * An inlet of Avro records of a generated class.
 *
 * <pre>{@code
 * AvroInlet<SensorReading> in = AvroInlet.create("in", SensorReading.class);
 * }</pre>
 *
 * @param <T> the generated record class
 */
public final class AvroInlet<T extends SpecificRecord> implements CodecInlet<T> {

  private final String name;
  private final Class<T> recordClass;
  private final boolean hasUniqueGroupId;

  private AvroInlet(String name, Class<T> recordClass, boolean hasUniqueGroupId) {
    this.name = Objects.requireNonNull(name, "name");
    this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
    this.hasUniqueGroupId = hasUniqueGroupId;
  }

  /** Creates an inlet named {@code name} for records of {@code recordClass}. */
  public static <T extends SpecificRecord> AvroInlet<T> create(String name, Class<T> recordClass) {
    return new AvroInlet<>(name, recordClass, false);
  }

  /**
   * Creates an inlet; with {@code hasUniqueGroupId} every running instance reads all records
   * (a consumer group of its own) instead of sharing them with the other instances.
   */
  public static <T extends SpecificRecord> AvroInlet<T> create(
      String name, Class<T> recordClass, boolean hasUniqueGroupId) {
    return new AvroInlet<>(name, recordClass, hasUniqueGroupId);
  }

  /** A copy of this inlet that reads with a consumer group of its own. */
  public AvroInlet<T> withUniqueGroupId() {
    return new AvroInlet<>(name, recordClass, true);
  }

  /** Whether each running instance reads all records with a consumer group of its own. */
  public boolean hasUniqueGroupId() {
    return hasUniqueGroupId;
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
    return new AvroCodec<>(recordClass);
  }

  @Override
  public SchemaDefinition schemaDefinition() {
    return AvroSchemas.definitionOf(recordClass);
  }

  @Override
  public String toString() {
    return "AvroInlet(" + name + ", " + recordClass.getName() + ")";
  }
}
