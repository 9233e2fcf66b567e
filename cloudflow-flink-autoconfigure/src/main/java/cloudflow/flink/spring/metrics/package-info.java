/**
 * Brings Flink's job and operator metrics into Micrometer, so {@code /actuator/prometheus} shows
 * records in and out per port, lag, restarts and checkpoints, tagged by streamlet and port.
 */
package cloudflow.flink.spring.metrics;
