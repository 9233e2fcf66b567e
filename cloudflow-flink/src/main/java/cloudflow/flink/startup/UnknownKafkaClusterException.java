package cloudflow.flink.startup;

import java.util.Set;

/** A topic names a Kafka cluster ({@code cluster = <name>}) that the application has no settings for. */
public final class UnknownKafkaClusterException extends StreamletStartupException {

  private static final long serialVersionUID = 1L;

  private final String cluster;

  /**
   * Creates the exception.
   *
   * @param topicKey the topic (its blueprint key) that names the cluster
   * @param cluster the unknown cluster name
   * @param known the names of the configured clusters
   */
  public UnknownKafkaClusterException(String topicKey, String cluster, Set<String> known) {
    super(null, "Topic '" + topicKey + "' is on Kafka cluster '" + cluster + "', which is not configured (known clusters: "
        + String.join(", ", known) + ")", null);
    this.cluster = cluster;
  }

  /** The unknown cluster name. */
  public String cluster() {
    return cluster;
  }

  @Override
  public Fix fix() {
    return Fix.KAFKA_CLUSTERS;
  }
}
