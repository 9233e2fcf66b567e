/** A Flink metric reporter that serves the streamlets' metrics to Prometheus from a Flink cluster's processes. */
package cloudflow.flink.metrics.prometheus;
