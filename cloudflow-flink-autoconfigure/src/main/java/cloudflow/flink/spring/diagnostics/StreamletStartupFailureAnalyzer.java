package cloudflow.flink.spring.diagnostics;

import cloudflow.flink.startup.IncompatibleStateException;
import cloudflow.flink.startup.LocalClusterPortException;
import cloudflow.flink.startup.StreamletStartupException;
import cloudflow.flink.startup.TopicSettingsException;
import cloudflow.flink.startup.UnknownKafkaClusterException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints a {@link StreamletStartupException} of the runtime as a startup failure, with the Spring
 * properties that fix it: the runtime says which kind of setting ({@link StreamletStartupException#fix()}),
 * this maps it to the property names of this starter.
 */
public class StreamletStartupFailureAnalyzer extends AbstractFailureAnalyzer<StreamletStartupException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StreamletStartupException cause) {
    String description = cause.streamletRef() == null || cause.getMessage().contains("'" + cause.streamletRef() + "'")
        ? cause.getMessage()
        : "Streamlet '" + cause.streamletRef() + "' cannot run: " + cause.getMessage();
    return new FailureAnalysis(description, action(cause), cause);
  }

  /** What to change, by the kind of setting that fixes the failure. */
  static String action(StreamletStartupException cause) {
    String streamlet = cause.streamletRef() == null ? "<name>" : cause.streamletRef();
    return switch (cause.fix()) {
      case TRANSACTION_TIMEOUT -> "Set spring.kafka.producer.properties.transaction.timeout.ms at or below the broker's "
          + "maximum, or raise transaction.max.timeout.ms on the brokers.";
      case DELIVERY_GUARANTEE -> "Run exactly-once streamlets on Kafka 3.0 or later, or set cloudflow.delivery-guarantee "
          + "(or cloudflow.streamlets." + streamlet + ".delivery-guarantee) to at-least-once.";
      case KAFKA_CREDENTIALS -> "Check spring.kafka.security.protocol, spring.kafka.properties.sasl.mechanism, "
          + "spring.kafka.properties.sasl.jaas.config and spring.kafka.ssl.* against the brokers' listeners (for a named "
          + "cluster: cloudflow.kafka.clusters.<name>.security.protocol, .properties.* and .ssl.*).";
      case INLET_TOPICS -> "Connect each inlet to a topic in the blueprint, or set cloudflow.streamlets." + streamlet
          + ".ports.<inlet>.topic.";
      case KAFKA_CLUSTERS -> "Configure the cluster" + (cause instanceof UnknownKafkaClusterException unknown
          ? " with cloudflow.kafka.clusters." + unknown.cluster() + ".bootstrap-servers (and its security.*, ssl.*, "
              + "properties.*)" : " under cloudflow.kafka.clusters.<name>")
          + ", or set the topic's cluster (blueprint topics.<key>.cluster, or cloudflow.blueprint.topics.<key>.cluster) "
          + "to a configured one; 'default' is spring.kafka.*.";
      case TOPIC_SETTINGS -> "Change the topic on its cluster, or its settings: managed, partitions, replicas and topic.* "
          + "of topics." + (cause instanceof TopicSettingsException topic ? topic.topicKey() : "<key>")
          + " in the blueprint (or cloudflow.blueprint.topics." + (cause instanceof TopicSettingsException topic
              ? topic.topicKey() : "<key>") + ".*).";
      case RESTORE_POINT -> "Keep the operator's uid and its state's name and type as they were, or start from a "
          + "savepoint this code can read with cloudflow.streamlets." + streamlet + ".restore-from=<path>"
          + (cause instanceof IncompatibleStateException ? "" : ", or drop the state on purpose with cloudflow.streamlets."
              + streamlet + ".allow-non-restored-state=true")
          + ". The restore point is not deleted: the previous version can still start from it.";
      case LOCAL_CLUSTER_PORT -> "Set " + (cause instanceof LocalClusterPortException port
              ? "cloudflow.flink." + port.option() : "cloudflow.flink.rest.port")
          + " to a free port or a range such as 8081-8090, or remove it: a local Flink cluster serves its REST API "
          + "(and web UI) only when a port is set for it.";
    };
  }
}
