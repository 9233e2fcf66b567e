/**
 * Kafka settings for streamlets from Spring Boot's {@code spring.kafka.*}, and the embedded broker
 * started for local use when no bootstrap servers are configured.
 */
package cloudflow.flink.spring.kafka;
