package cloudflow.flink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testkit.data.Data;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.StringConfigParameter;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.legacy.SourceFunction;
import org.junit.jupiter.api.Test;

/**
 * Cloudflow's testkit calls kept as deprecated shims ({@link FlinkSource},
 * {@link TestFlinkStreamletContext#result()}), an overridden {@code config()}, and logic that
 * functions capture, run through job submission.
 */
@SuppressWarnings("deprecation")
class CloudflowShimsTest {

  /** Cloudflow style: parameters via defineConfigParameters(), a lambda calling a logic method. */
  static class Suffixer extends FlinkStreamlet {
    final AvroInlet<Data> in = AvroInlet.create("in", Data.class);
    final AvroOutlet<Data> out = AvroOutlet.create("out", Data::getId, Data.class);
    final StringConfigParameter suffix = StringConfigParameter.create("suffix", "Appended to names");

    @Override
    public StreamletShape shape() {
      return StreamletShape.empty().withInlets(in).withOutlets(out);
    }

    @Override
    public ConfigParameter<?>[] defineConfigParameters() {
      return new ConfigParameter<?>[] {suffix};
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        Data withSuffix(Data d) {
          return new Data(d.getId(), d.getName() + suffix.getValue(getContext()));
        }

        @Override
        public void buildExecutionGraph() {
          writeStream(out, readStream(in).map(d -> withSuffix(d)));
        }
      };
    }
  }

  private static final List<Data> DATA = List.of(new Data("1", "a"), new Data("2", "b"));

  @Test
  void aCollectionSourceFunctionFeedsAnInletAndTheSharedResultHoldsTheLines() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    FlinkTestkit testkit = new FlinkTestkit().withConfigParameterValue("suffix", "!");
    Suffixer streamlet = new Suffixer();
    FlinkInletTap<Data> in = testkit.getInletAsTap(
        streamlet.in, env.addSource(FlinkSource.collectionSourceFunction(DATA), TypeInformation.of(Data.class)),
        Data.class);
    FlinkOutletTap<Data> out = testkit.getOutletAsTap(streamlet.out, Data.class);
    TestFlinkStreamletContext.result().add("left over from an earlier run");

    testkit.run(streamlet, List.of(in), List.of(out), env);

    List<Data> expected = List.of(new Data("1", "a!"), new Data("2", "b!"));
    assertThat(out.records()).isEqualTo(expected);
    assertThat(TestFlinkStreamletContext.result())
        .containsExactly(expected.get(0).toString(), expected.get(1).toString());
  }

  @Test
  void otherLegacySourcesAreStillRefusedAsUnbounded() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    FlinkTestkit testkit = new FlinkTestkit().withConfigParameterValue("suffix", "!");
    Suffixer streamlet = new Suffixer();
    SourceFunction<Data> endless = new SourceFunction<>() {
      @Override
      public void run(SourceContext<Data> ctx) {}

      @Override
      public void cancel() {}
    };
    FlinkInletTap<Data> in =
        testkit.getInletAsTap(streamlet.in, env.addSource(endless, TypeInformation.of(Data.class)), Data.class);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> testkit.run(streamlet, List.of(in), List.of(), env))
        .withMessageContaining("unbounded source");
  }

  @Test
  void anOverriddenConfigIsReadAndFindsParametersWhereCloudflowTestsPutThem() {
    FlinkTestkit testkit = new FlinkTestkit() {
      @Override
      public Config config() {
        return ConfigFactory.parseString("cloudflow.streamlets.testFlinkStreamlet.suffix = \"?\"");
      }
    };
    Suffixer streamlet = new Suffixer();
    FlinkOutletTap<Data> out = testkit.outletAsTap(streamlet.out);

    testkit.run(streamlet, List.of(testkit.inletAsTap(streamlet.in, DATA)), List.of(out));

    assertThat(out.records()).containsExactly(new Data("1", "a?"), new Data("2", "b?"));
  }

  @Test
  void parametersUnderTheStreamletsOwnNameWinOverCloudflowsTestLocation() {
    FlinkTestkit testkit = new FlinkTestkit() {
      @Override
      public Config config() {
        return ConfigFactory.parseString("""
            cloudflow.streamlets.testFlinkStreamlet.suffix = "?"
            cloudflow.streamlets.suffixer.config-parameters.suffix = "#"
            """);
      }
    };
    Suffixer streamlet = new Suffixer();
    FlinkOutletTap<Data> out = testkit.outletAsTap(streamlet.out);

    testkit.run(streamlet, List.of(testkit.inletAsTap(streamlet.in, DATA)), List.of(out));

    assertThat(out.records()).containsExactly(new Data("1", "a#"), new Data("2", "b#"));
  }
}
