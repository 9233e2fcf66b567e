/** Avro-encoded ports: records are generated Avro {@code SpecificRecord} classes in binary encoding. */
package cloudflow.streamlets.avro;
