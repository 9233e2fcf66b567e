package cloudflow.streamlets;

import java.util.Objects;

/**
 * Describes the schema of the records on a port, so that shapes and blueprints can be verified
 * without running anything.
 *
 * @param name the schema's full name, for example {@code sensors.SensorReading}
 * @param schema the schema text in its format (for Avro, the JSON schema)
 * @param fingerprint a stable fingerprint of the schema
 * @param format the encoding format, for example {@code avro}
 */
public record SchemaDefinition(String name, String schema, String fingerprint, String format) {

  /** Creates a definition; every component is required. */
  public SchemaDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(format, "format");
  }
}
