/**
 * What the application configures under {@code cloudflow.*}, and the condition that tells a command run (verify, describe, manifests) from a streamlet run.
 */
package cloudflow.flink.spring.properties;
