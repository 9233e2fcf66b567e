/**
 * Kafka-level tests of an application's streamlets: {@link cloudflow.flink.spring.test.StreamletTest}
 * runs one through the real auto-configuration on an embedded broker, and
 * {@link cloudflow.flink.spring.test.StreamletTestKafka} sends to its inlets and reads its outlets.
 */
package cloudflow.flink.spring.test;
