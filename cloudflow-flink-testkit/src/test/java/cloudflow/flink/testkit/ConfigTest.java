package cloudflow.flink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testkit.ProcessorTest.Doubler;
import cloudflow.flink.testkit.data.Reading;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.IntegerConfigParameter;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.StringConfigParameter;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration set per test: {@code config()} settings and config parameter values. */
class ConfigTest {

  /** Prefixes each sensor id with the {@code prefix} parameter and multiplies by {@code factor}. */
  static final class Scaler extends FlinkStreamlet {
    static final IntegerConfigParameter FACTOR =
        IntegerConfigParameter.create("factor", "What values are multiplied by").withDefaultValue(1);
    static final StringConfigParameter PREFIX = StringConfigParameter.create("prefix", "Put before sensor ids");

    final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public ConfigParameter<?>[] defineConfigParams() {
      return new ConfigParameter<?>[] {FACTOR, PREFIX};
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          int factor = FACTOR.getValue(getContext());
          String prefix = PREFIX.getValue(getContext());
          writeStream(out, readStream(in).map(r -> new Reading(prefix + r.getId(), r.getValue() * factor)));
        }
      };
    }
  }

  private static final List<Reading> READINGS = List.of(new Reading("s1", 1L), new Reading("s2", 2L));

  private static List<Reading> runDoubler(FlinkTestkit testkit) {
    Doubler doubler = new Doubler();
    FlinkOutletTap<Reading> out = testkit.outletAsTap(doubler.out);
    testkit.run(doubler, List.of(testkit.inletAsTap(doubler.in, READINGS)), List.of(out));
    return out.records();
  }

  @Test
  void configValuesReachConfigAndWinOverConfigSettings() {
    FlinkTestkit base = new FlinkTestkit().withConfig(ConfigFactory.parseString("doubler.factor = 5"));

    assertThat(runDoubler(base)).containsExactly(new Reading("s1", 5L), new Reading("s2", 10L));
    assertThat(runDoubler(base.withConfigValue("doubler.factor", 3)))
        .containsExactly(new Reading("s1", 3L), new Reading("s2", 6L));
  }

  @Test
  void configParameterValuesAreReadUnderTheStreamletsName() {
    Scaler scaler = new Scaler();
    FlinkTestkit testkit = new FlinkTestkit().withConfigParameterValue("factor", 10).withConfigParameterValue("prefix", "x-");
    FlinkOutletTap<Reading> out = testkit.outletAsTap(scaler.out);

    testkit.run(scaler, List.of(testkit.inletAsTap(scaler.in, READINGS)), List.of(out));

    assertThat(out.keyedRecords())
        .containsExactly(
            new KeyedRecord<>("x-s1", new Reading("x-s1", 10L)), new KeyedRecord<>("x-s2", new Reading("x-s2", 20L)));
  }

  @Test
  void configParametersCanAlsoBeSetAsConfigUnderACustomStreamletRef() {
    Scaler scaler = new Scaler();
    FlinkTestkit testkit =
        new FlinkTestkit()
            .withStreamletRef("my-scaler")
            .withConfigValue("cloudflow.streamlets.my-scaler.config-parameters.prefix", "y-");
    FlinkOutletTap<Reading> out = testkit.outletAsTap(scaler.out);

    testkit.run(scaler, List.of(testkit.inletAsTap(scaler.in, READINGS)), List.of(out));

    // factor keeps its declared default of 1.
    assertThat(out.records()).containsExactly(new Reading("y-s1", 1L), new Reading("y-s2", 2L));
  }

  @Test
  void aRequiredConfigParameterWithoutValueFailsBeforeTheJobStarts() {
    Scaler scaler = new Scaler();
    FlinkTestkit testkit = new FlinkTestkit().withConfigParameterValue("factor", 2);

    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> testkit.run(scaler, List.of(testkit.inletAsTap(scaler.in, READINGS)), List.of()))
        .withMessageContaining("cloudflow.streamlets.scaler.config-parameters.prefix")
        .withMessageContaining("withConfigParameterValue");
  }
}
