package cloudflow.flink.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import cloudflow.flink.spring.test.data.Reading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Finding the port, and its topic, that a test means. */
class RunningPortsTest {

  static class Pass extends FlinkStreamlet {
    final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      throw new UnsupportedOperationException("never run");
    }
  }

  private final Pass first = new Pass();
  private final Pass second = new Pass();
  private final Pass idle = new Pass();
  private final StreamletRegistry registry = new StreamletRegistry(streamlets());

  private Map<String, FlinkStreamlet> streamlets() {
    Map<String, FlinkStreamlet> streamlets = new LinkedHashMap<>();
    streamlets.put("first", first);
    streamlets.put("second", second);
    streamlets.put("idle", idle);
    return streamlets;
  }

  private static StreamletDefinition running(String name, Map<String, String> topics) {
    return new StreamletDefinition("app", name, topics, ConfigFactory.empty());
  }

  @Test
  void aPortOfTheOnlyRunningStreamletIsFoundByObjectByEqualPortAndByName() {
    RunningPorts ports = new RunningPorts(registry, List.of(running("first", Map.of("in", "a", "out", "b"))));

    assertThat(ports.inlet(first.in).topic()).isEqualTo("a");
    assertThat(ports.inlet(AvroInlet.create("in", Reading.class)).topic()).isEqualTo("a");
    assertThat(ports.inlet("in").topic()).isEqualTo("a");
    assertThat(ports.outlet("first.out").topic()).isEqualTo("b");
    assertThat(ports.port("out").topic()).isEqualTo("b");
    assertThat(ports.outletTopics()).containsExactly("b");
  }

  @Test
  void withSeveralRunningStreamletsPortObjectsAndQualifiedNamesDecide() {
    RunningPorts ports = new RunningPorts(registry, List.of(
        running("first", Map.of("in", "a", "out", "b")), running("second", Map.of("in", "b", "out", "c"))));

    assertThat(ports.inlet(second.in).topic()).isEqualTo("b");
    assertThat(ports.outlet("second.out").topic()).isEqualTo("c");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ports.inlet("in"))
        .withMessageStartingWith("Several running streamlets have an inlet 'in' (first, second): pass the port of the"
            + " streamlet bean, or name it as 'streamlet.port'.");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ports.inlet(AvroInlet.create("in", Reading.class)))
        .withMessageStartingWith("Several running streamlets have an inlet 'in' of " + Reading.class.getName());
  }

  @Test
  void aPortOfAStreamletThatDoesNotRunIsRefused() {
    RunningPorts ports = new RunningPorts(registry, List.of(running("first", Map.of("in", "a", "out", "b"))));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ports.inlet(idle.in))
        .withMessage("The inlet 'in' belongs to streamlet 'idle', which does not run in this test. Running: first"
            + " (inlets: in → a [Reading]; outlets: out → b [Reading]). Choose the streamlet with"
            + " @StreamletTest(\"idle\").");
  }

  @Test
  void anUnconnectedOutletHasNoTopicToReadFrom() {
    RunningPorts ports = new RunningPorts(registry, List.of(running("first", Map.of("in", "a"))));

    assertThat(ports.describe()).isEqualTo("first (inlets: in → a [Reading]; outlets: out → (unconnected) [Reading])");
    assertThat(ports.outletTopics()).isEmpty();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ports.outlet(first.out).requireTopic())
        .withMessage("outlet 'out' of streamlet 'first' is not connected to a topic: the blueprint leaves it"
            + " unconnected, so its records are dropped");
  }

  @Test
  void unknownNamesListWhatRuns() {
    RunningPorts ports = new RunningPorts(registry, List.of(running("first", Map.of("in", "a", "out", "b"))));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ports.outlet("second.out"))
        .withMessage("No running streamlet has an outlet 'second.out'. Running: first (inlets: in → a [Reading];"
            + " outlets: out → b [Reading])");
  }
}
