package cloudflow.flink.spring.test;

import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.Inlet;
import cloudflow.streamlets.StreamletPort;
import cloudflow.streamlets.StreamletShape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ports of the streamlets running in an application context, each with the topic the running
 * configuration connects it to, found by port object or by name.
 */
final class RunningPorts {

  /**
   * A port of a running streamlet.
   *
   * @param streamlet the streamlet's name in the application
   * @param port the port, as the streamlet's shape declares it
   * @param topic the Kafka topic, or {@code null} for an outlet the blueprint leaves unconnected
   */
  record RunningPort(String streamlet, StreamletPort port, String topic) {

    String kind() {
      return port instanceof Inlet ? "inlet" : "outlet";
    }

    Class<?> recordClass() {
      return recordClassOf(port);
    }

    /** The topic; fails for an unconnected outlet. */
    String requireTopic() {
      if (topic == null) {
        throw new IllegalArgumentException(
            this + " is not connected to a topic: the blueprint leaves it unconnected, so its records are dropped");
      }
      return topic;
    }

    @Override
    public String toString() {
      return kind() + " '" + port.name() + "' of streamlet '" + streamlet + "'";
    }
  }

  private final StreamletRegistry registry;
  private final Set<String> running = new LinkedHashSet<>();
  private final List<RunningPort> inlets = new ArrayList<>();
  private final List<RunningPort> outlets = new ArrayList<>();

  RunningPorts(StreamletRegistry registry, List<StreamletDefinition> definitions) {
    this.registry = registry;
    for (StreamletDefinition definition : definitions) {
      String name = definition.streamletRef();
      running.add(name);
      StreamletShape shape = registry.shape(name);
      shape.inlets().forEach(p -> inlets.add(new RunningPort(name, p, definition.portMappings().get(p.name()))));
      shape.outlets().forEach(p -> outlets.add(new RunningPort(name, p, definition.portMappings().get(p.name()))));
    }
  }

  /** The running inlet that is {@code inlet}, or has its name and record class. */
  RunningPort inlet(CodecInlet<?> inlet) {
    return byPort(inlets, Objects.requireNonNull(inlet, "inlet"), "inlet");
  }

  /** The running outlet that is {@code outlet}, or has its name and record class. */
  RunningPort outlet(CodecOutlet<?> outlet) {
    return byPort(outlets, Objects.requireNonNull(outlet, "outlet"), "outlet");
  }

  /** The running inlet named {@code name} ({@code port} or {@code streamlet.port}). */
  RunningPort inlet(String name) {
    return byName(inlets, name, "inlet");
  }

  /** The running outlet named {@code name} ({@code port} or {@code streamlet.port}). */
  RunningPort outlet(String name) {
    return byName(outlets, name, "outlet");
  }

  /** The running port named {@code name} ({@code port} or {@code streamlet.port}), inlet or outlet. */
  RunningPort port(String name) {
    List<RunningPort> all = new ArrayList<>(inlets);
    all.addAll(outlets);
    return byName(all, name, "port");
  }

  /** The topics of all connected outlets. */
  List<String> outletTopics() {
    return outlets.stream().map(RunningPort::topic).filter(Objects::nonNull).distinct().toList();
  }

  private RunningPort byPort(List<RunningPort> ports, StreamletPort wanted, String kind) {
    List<RunningPort> same = ports.stream().filter(p -> p.port() == wanted).toList();
    if (same.size() == 1) {
      return same.get(0);
    }
    if (same.isEmpty()) {
      failIfOfIdleStreamlet(wanted, kind);
    }
    List<RunningPort> matching =
        ports.stream()
            .filter(p -> p.port().name().equals(wanted.name()) && p.recordClass() == recordClassOf(wanted))
            .toList();
    return single(matching, "an " + kind + " '" + wanted.name() + "' of " + recordClassOf(wanted).getName());
  }

  /** A port object of a streamlet that the application has but does not run here is a mistake, not a match. */
  private void failIfOfIdleStreamlet(StreamletPort wanted, String kind) {
    for (String name : registry.names()) {
      if (!running.contains(name) && registry.shape(name).ports().stream().anyMatch(p -> p == wanted)) {
        throw new IllegalArgumentException(
            "The " + kind + " '" + wanted.name() + "' belongs to streamlet '" + name + "', which does not run in this"
                + " test. Running: " + describe() + ". Choose the streamlet with @StreamletTest(\"" + name + "\").");
      }
    }
  }

  private RunningPort byName(List<RunningPort> ports, String name, String kind) {
    Objects.requireNonNull(name, kind);
    int dot = name.lastIndexOf('.');
    String streamlet = dot < 0 ? null : name.substring(0, dot);
    String port = name.substring(dot + 1);
    List<RunningPort> matching =
        ports.stream()
            .filter(p -> p.port().name().equals(port) && (streamlet == null || p.streamlet().equals(streamlet)))
            .toList();
    return single(matching, (kind.equals("port") ? "a " : "an ") + kind + " '" + name + "'");
  }

  private RunningPort single(List<RunningPort> matching, String wanted) {
    if (matching.size() == 1) {
      return matching.get(0);
    }
    if (matching.isEmpty()) {
      throw new IllegalArgumentException("No running streamlet has " + wanted + ". Running: " + describe());
    }
    throw new IllegalArgumentException(
        "Several running streamlets have " + wanted + " ("
            + matching.stream().map(RunningPort::streamlet).collect(Collectors.joining(", "))
            + "): pass the port of the streamlet bean, or name it as 'streamlet.port'. Running: " + describe());
  }

  /** {@code processor (inlets: in → sensor-readings [SensorReading]; outlets: out → sensor-summaries [...])}. */
  String describe() {
    if (running.isEmpty()) {
      return "no streamlet";
    }
    return running.stream()
        .map(name -> name + " (inlets: " + describe(inlets, name) + "; outlets: " + describe(outlets, name) + ")")
        .collect(Collectors.joining(", "));
  }

  private static String describe(List<RunningPort> ports, String streamlet) {
    List<String> described =
        ports.stream()
            .filter(p -> p.streamlet().equals(streamlet))
            .map(p -> p.port().name() + " → " + (p.topic() == null ? "(unconnected)" : p.topic())
                + " [" + p.recordClass().getSimpleName() + "]")
            .toList();
    return described.isEmpty() ? "none" : String.join(", ", described);
  }

  static Class<?> recordClassOf(StreamletPort port) {
    if (port instanceof CodecInlet<?> inlet) {
      return inlet.recordClass();
    }
    return port instanceof CodecOutlet<?> outlet ? outlet.recordClass() : Object.class;
  }
}
