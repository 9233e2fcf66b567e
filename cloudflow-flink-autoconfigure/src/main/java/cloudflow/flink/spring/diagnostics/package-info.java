/** Startup errors of a streamlet application and the failure analyzer that explains them. */
package cloudflow.flink.spring.diagnostics;
