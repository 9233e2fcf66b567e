package cloudflow.flink.startup;

/**
 * The local Flink cluster of a streamlet cannot listen on the port its configuration gives Flink's
 * REST API: another process (or another streamlet's cluster with the same setting) has it.
 */
public final class LocalClusterPortException extends StreamletStartupException {

  private static final long serialVersionUID = 1L;

  private final String option;
  private final String ports;

  /**
   * Creates the exception.
   *
   * @param streamletRef the streamlet whose cluster could not start
   * @param option the Flink option that set the port: {@code rest.bind-port} or {@code rest.port}
   * @param ports its value, a port or a range such as {@code 8081-8090}
   * @param cause Flink's failure to bind
   */
  public LocalClusterPortException(String streamletRef, String option, String ports, Throwable cause) {
    super(streamletRef, "The local Flink cluster of streamlet '" + streamletRef + "' cannot serve Flink's REST API on "
        + option + " " + ports + ": " + (ports.contains("-") || ports.contains(",") ? "every port of it is" : "the port is")
        + " taken on this host", cause);
    this.option = option;
    this.ports = ports;
  }

  /** The Flink option that set the port: {@code rest.bind-port} or {@code rest.port}. */
  public String option() {
    return option;
  }

  /** The port or port range that was taken. */
  public String ports() {
    return ports;
  }

  @Override
  public Fix fix() {
    return Fix.LOCAL_CLUSTER_PORT;
  }
}
