/** Actuator settings that keep a streamlet pod's secrets out of its endpoints. */
package cloudflow.flink.spring.actuator;
