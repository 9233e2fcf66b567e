/**
 * The Flink streamlet API: {@link cloudflow.flink.FlinkStreamlet} declares a shape and creates a
 * {@link cloudflow.flink.FlinkStreamletLogic}, which builds a Flink job graph from its inlets to its
 * outlets through the {@link cloudflow.flink.FlinkStreamletContext}.
 */
package cloudflow.flink;
