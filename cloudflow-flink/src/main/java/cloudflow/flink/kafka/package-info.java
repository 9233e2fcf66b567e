/** Connects streamlet ports to Kafka topics with Flink's {@code KafkaSource} and {@code KafkaSink}. */
package cloudflow.flink.kafka;
