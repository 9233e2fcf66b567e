package cloudflow.flink.startup;

/** The Kafka brokers refused the clients' credentials: the job would restart forever against it. */
public final class KafkaCredentialsRefusedException extends StreamletStartupException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception for the brokers at {@code bootstrapServers}. */
  public KafkaCredentialsRefusedException(String bootstrapServers, Throwable cause) {
    super(null, "Kafka at " + bootstrapServers + " refused the client's credentials: " + cause.getMessage(), cause);
  }

  @Override
  public Fix fix() {
    return Fix.KAFKA_CREDENTIALS;
  }
}
