package cloudflow.flink.startup;

import java.util.List;

/** Inlets of a streamlet have no topic to read from. */
public final class InletWithoutTopicException extends StreamletStartupException {

  private static final long serialVersionUID = 1L;

  private final List<String> inlets;

  /** Creates the exception for the streamlet's inlets that have no topic. */
  public InletWithoutTopicException(String streamletRef, List<String> inlets) {
    super(streamletRef, "Streamlet '" + streamletRef + "' has inlets without a topic: " + inlets, null);
    this.inlets = List.copyOf(inlets);
  }

  /** The inlets without a topic. */
  public List<String> inlets() {
    return inlets;
  }

  @Override
  public Fix fix() {
    return Fix.INLET_TOPICS;
  }
}
