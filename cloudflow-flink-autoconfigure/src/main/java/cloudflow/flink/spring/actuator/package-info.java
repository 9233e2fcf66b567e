/**
 * Actuator endpoints and settings of a streamlet pod: the {@code streamlets} endpoint (state,
 * savepoints, suspend, resume, restart), and secrets kept out of the other endpoints.
 */
package cloudflow.flink.spring.actuator;
