/**
 * Flink type information for record classes that Flink's type extraction would hand to Kryo: Protobuf
 * messages are serialized in their own binary encoding instead.
 */
package cloudflow.flink.typeutils;
