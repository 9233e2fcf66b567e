/** Turns Spring's {@code Environment} into the Typesafe {@code Config} and Flink settings a streamlet sees. */
package cloudflow.flink.spring.config;
