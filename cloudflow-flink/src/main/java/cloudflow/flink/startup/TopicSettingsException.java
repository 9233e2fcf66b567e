package cloudflow.flink.startup;

/**
 * A topic on its Kafka cluster does not match what the application needs and the application may
 * not change it: an unmanaged topic that does not exist, an existing topic with fewer partitions
 * than its settings ask for, or a topic the brokers refuse to create as configured (more replicas
 * than brokers, an unknown topic config).
 */
public final class TopicSettingsException extends StreamletStartupException {

  private static final long serialVersionUID = 1L;

  private final String topicKey;

  /**
   * Creates the exception.
   *
   * @param streamletRef the streamlet that cannot start
   * @param topicKey the topic's key in the blueprint (its Kafka name without a blueprint)
   * @param message what is wrong and what to do
   * @param cause the brokers' answer, or {@code null}
   */
  public TopicSettingsException(String streamletRef, String topicKey, String message, Throwable cause) {
    super(streamletRef, message, cause);
    this.topicKey = topicKey;
  }

  /** The topic's key in the blueprint. */
  public String topicKey() {
    return topicKey;
  }

  @Override
  public Fix fix() {
    return Fix.TOPIC_SETTINGS;
  }
}
