package cloudflow.streamlets.avro;

import cloudflow.streamlets.SchemaDefinition;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;

/** Builds the {@link SchemaDefinition} of an Avro port. */
final class AvroSchemas {

  private AvroSchemas() {}

  static SchemaDefinition definitionOf(Class<? extends SpecificRecord> recordClass) {
    Schema schema = AvroCodec.schemaOf(recordClass);
    String fingerprint = Long.toHexString(SchemaNormalization.parsingFingerprint64(schema));
    return new SchemaDefinition(schema.getFullName(), schema.toString(false), fingerprint, "avro");
  }
}
