package cloudflow.flink.spring.streamlets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.flink.spring.testsupport.BrokenShapeStreamlet;
import cloudflow.flink.spring.testsupport.LogicFailingStreamlet;
import cloudflow.flink.spring.testsupport.ReadingIngress;
import cloudflow.flink.spring.testsupport.ReadingProcessor;
import cloudflow.streamlets.StreamletPort;
import cloudflow.streamlets.StreamletShape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link StreamletRegistry}. */
class StreamletRegistryTest {

  @Test
  void readsShapesWithoutBuildingLogic() {
    LogicFailingStreamlet streamlet = new LogicFailingStreamlet();

    StreamletRegistry registry = new StreamletRegistry(Map.of("sink", streamlet));

    assertThat(registry.shape("sink").inlets()).extracting(StreamletPort::name).containsExactly("in");
    assertThat(registry.streamlet("sink")).isSameAs(streamlet);
    assertThat(streamlet.createLogicCalls()).isZero();
  }

  @Test
  void readsEachShapeOnce() {
    CountingStreamlet streamlet = new CountingStreamlet();

    StreamletRegistry registry = new StreamletRegistry(Map.of("counted", streamlet));
    registry.shape("counted");
    registry.shape("counted");

    assertThat(streamlet.shapeCalls).isEqualTo(1);
  }

  @Test
  void keepsTheStreamletsInRegistrationOrder() {
    Map<String, FlinkStreamlet> streamlets = new LinkedHashMap<>();
    streamlets.put("zeta", new ReadingIngress());
    streamlets.put("alpha", new ReadingProcessor());
    streamlets.put("mid", new ReadingIngress());

    assertThat(new StreamletRegistry(streamlets).names()).containsExactly("zeta", "alpha", "mid");
  }

  @Test
  void answersNullForUnknownNames() {
    StreamletRegistry registry = new StreamletRegistry(Map.of("source", new ReadingIngress()));

    assertThat(registry.streamlet("nope")).isNull();
    assertThat(registry.shape("nope")).isNull();
    assertThat(registry.isEmpty()).isFalse();
    assertThat(new StreamletRegistry(Map.of()).isEmpty()).isTrue();
  }

  @Test
  void failsNamingTheStreamletWhoseShapeThrows() {
    assertThatExceptionOfType(StreamletConfigurationException.class)
        .isThrownBy(() -> new StreamletRegistry(Map.of("broken", new BrokenShapeStreamlet())))
        .withMessageContaining("The shape of streamlet 'broken' (" + BrokenShapeStreamlet.class.getName() + ")")
        .withMessageContaining("Invalid port name '" + BrokenShapeStreamlet.BAD_PORT + "'")
        .withCauseInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getAction()).isEqualTo("Fix the inlets and outlets declared in BrokenShapeStreamlet.shape()."));
  }

  @Test
  void failsNamingTheStreamletWhoseShapeIsNull() {
    assertThatExceptionOfType(StreamletConfigurationException.class)
        .isThrownBy(() -> new StreamletRegistry(Map.of("empty", new NullShapeStreamlet())))
        .withMessageContaining("streamlet 'empty'")
        .withMessageContaining("shape() returned null");
  }

  static final class CountingStreamlet extends FlinkStreamlet {

    int shapeCalls;

    @Override
    public StreamletShape shape() {
      shapeCalls++;
      return StreamletShape.createEmpty();
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      throw new UnsupportedOperationException();
    }
  }

  static final class NullShapeStreamlet extends FlinkStreamlet {

    @Override
    public StreamletShape shape() {
      return null;
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      throw new UnsupportedOperationException();
    }
  }
}
