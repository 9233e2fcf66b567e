/** The streamlets' metrics ({@code cloudflow.streamlet.*}) made from the Flink metrics of their jobs. */
package cloudflow.flink.metrics;
