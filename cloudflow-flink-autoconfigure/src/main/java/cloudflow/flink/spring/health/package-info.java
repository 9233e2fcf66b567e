/** Health of the streamlets' Flink jobs, for the liveness and readiness probe groups. */
package cloudflow.flink.spring.health;
