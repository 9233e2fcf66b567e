/**
 * Tests a streamlet's real logic without Kafka: {@link cloudflow.flink.testkit.FlinkTestkit} connects
 * its inlets to bounded in-memory sources and its outlets to taps that give back the records, with the
 * keys the outlets' partitioners produced, after the job on a local Flink environment has finished.
 */
package cloudflow.flink.testkit;
