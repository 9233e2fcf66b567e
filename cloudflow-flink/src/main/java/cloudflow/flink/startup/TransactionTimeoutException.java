package cloudflow.flink.startup;

/** Exactly-once is asked for with a transaction timeout above the brokers' maximum. */
public final class TransactionTimeoutException extends StreamletStartupException {

  private static final long serialVersionUID = 1L;

  private final long timeoutMs;
  private final long brokerMaximumMs;

  /** Creates the exception for a streamlet, the producers' timeout and the brokers' maximum, in milliseconds. */
  public TransactionTimeoutException(String streamletRef, long timeoutMs, long brokerMaximumMs) {
    super(streamletRef, "Exactly-once needs the producer setting transaction.timeout.ms (" + timeoutMs
        + " ms) to be at most the broker's transaction.max.timeout.ms (" + brokerMaximumMs + " ms)", null);
    this.timeoutMs = timeoutMs;
    this.brokerMaximumMs = brokerMaximumMs;
  }

  /** The producers' transaction timeout in milliseconds. */
  public long timeoutMs() {
    return timeoutMs;
  }

  /** The brokers' {@code transaction.max.timeout.ms}. */
  public long brokerMaximumMs() {
    return brokerMaximumMs;
  }

  @Override
  public Fix fix() {
    return Fix.TRANSACTION_TIMEOUT;
  }
}
