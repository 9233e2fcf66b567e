package cloudflow.flink.startup;

/**
 * A streamlet cannot start because of its configuration or its environment, in a way a retry does
 * not fix. The subtypes say what is wrong; {@link #fix()} says which kind of setting fixes it, so a
 * front end (the Spring Boot starter's failure analyzer) can name its own property for it.
 */
public abstract class StreamletStartupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kinds of setting that fix a startup failure. */
  public enum Fix {
    /** The producers' {@code transaction.timeout.ms}, or the brokers' {@code transaction.max.timeout.ms}. */
    TRANSACTION_TIMEOUT,
    /** The streamlet's delivery guarantee, or newer brokers. */
    DELIVERY_GUARANTEE,
    /** The Kafka clients' security settings (protocol, SASL mechanism and JAAS configuration, SSL). */
    KAFKA_CREDENTIALS,
    /** The topic of each of the streamlet's inlets. */
    INLET_TOPICS,
    /** The Kafka clusters the application knows, or the cluster a topic names. */
    KAFKA_CLUSTERS,
    /** A topic's settings (managed, partitions, replicas, topic configs), or the topic on its cluster. */
    TOPIC_SETTINGS,
    /**
     * The state the streamlet restores: its restore point ({@code restore-from}), whether state no
     * operator claims may be dropped ({@code allow-non-restored-state}), or the code's uids, state names
     * and state types.
     */
    RESTORE_POINT,
    /** The port (or port range) of a local Flink cluster's REST API: {@code rest.port} or {@code rest.bind-port}. */
    LOCAL_CLUSTER_PORT
  }

  private final String streamletRef;

  /**
   * Creates the exception.
   *
   * @param streamletRef the streamlet that cannot start, or {@code null} when it applies to all
   * @param message what is wrong
   * @param cause the underlying failure, or {@code null}
   */
  protected StreamletStartupException(String streamletRef, String message, Throwable cause) {
    super(message, cause);
    this.streamletRef = streamletRef;
  }

  /** The streamlet that cannot start, or {@code null} when the failure is not about one streamlet. */
  public String streamletRef() {
    return streamletRef;
  }

  /** Which kind of setting fixes this. */
  public abstract Fix fix();
}
