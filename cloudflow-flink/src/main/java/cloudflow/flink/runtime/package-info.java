/** Runs a streamlet: builds its context, creates its logic, submits the Flink job and follows it. */
package cloudflow.flink.runtime;
