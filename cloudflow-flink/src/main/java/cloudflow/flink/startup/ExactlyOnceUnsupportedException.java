package cloudflow.flink.startup;

/** Exactly-once is asked for, but the brokers cannot list transactions (older than Kafka 3.0). */
public final class ExactlyOnceUnsupportedException extends StreamletStartupException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception for the streamlet that asks for exactly-once. */
  public ExactlyOnceUnsupportedException(String streamletRef) {
    super(streamletRef, "Exactly-once needs brokers that can list transactions (Kafka 3.0 or later): "
        + "the sink finds the transactions a stopped run left open that way", null);
  }

  @Override
  public Fix fix() {
    return Fix.DELIVERY_GUARANTEE;
  }
}
