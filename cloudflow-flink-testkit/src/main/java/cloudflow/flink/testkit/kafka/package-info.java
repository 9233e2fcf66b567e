/**
 * A real Kafka broker for tests that need one outside the test's JVM: {@link
 * cloudflow.flink.testkit.kafka.KafkaBrokerProcess} runs a single-node KRaft broker as a separate
 * {@code java} process from the Kafka jars on the class path, so a test can stop it, kill it and
 * restart it on the same ports and data while the applications under test keep running.
 */
package cloudflow.flink.testkit.kafka;
