package cloudflow.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.blueprint.ApplicationDescription;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.kafka.KafkaStreamletContext;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.IntegerConfigParameter;
import cloudflow.streamlets.StreamletContextException;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Cloudflow's names on streamlets and logic, next to ours. */
class CloudflowStreamletAliasesTest {

  /** A streamlet declaring its parameters with Cloudflow's hook, with a raw array as Cloudflow code has. */
  static class CloudflowHook extends FlinkStreamlet {
    final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    final IntegerConfigParameter limit = IntegerConfigParameter.create("limit", "Upper limit").withDefaultValue(3);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ConfigParameter[] defineConfigParameters() {
      return new ConfigParameter[] {limit};
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {}
      };
    }
  }

  /** A streamlet declaring its parameters with our hook. */
  static class OurHook extends CloudflowHook {
    @Override
    public ConfigParameter<?>[] defineConfigParams() {
      return new ConfigParameter<?>[] {limit, IntegerConfigParameter.create("other", "Other")};
    }
  }

  private static KafkaStreamletContext context(String streamletRef, String config) {
    StreamletDefinition definition =
        new StreamletDefinition("app", streamletRef, Map.of("in", "t-in", "out", "t-out"), ConfigFactory.parseString(config));
    return new KafkaStreamletContext(
        StreamExecutionEnvironment.getExecutionEnvironment(), definition, StreamletShape.createEmpty(),
        KafkaSettings.of("localhost:9092"));
  }

  @Test
  void theRuntimeSeesParametersDeclaredWithEitherHook() {
    assertThat(new CloudflowHook().defineConfigParams()).extracting(ConfigParameter::key).containsExactly("limit");
    assertThat(new OurHook().defineConfigParams()).extracting(ConfigParameter::key).containsExactly("limit", "other");
  }

  @Test
  void inletsAndOutletsComeFromTheShape() {
    CloudflowHook streamlet = new CloudflowHook();

    assertThat(streamlet.inlets()).containsExactly(streamlet.in);
    assertThat(streamlet.outlets()).isEmpty();
  }

  @Test
  void configuredValueReadsTheStreamletsConfigParameters() {
    KafkaStreamletContext context = context("filter", "cloudflow.streamlets.filter.config-parameters.limit = 7");

    assertThat(new CloudflowHook().configuredValue(context, "limit")).isEqualTo("7");
  }

  @Test
  void logicOffersStreamletRefAndContextAsCloudflowsDid() {
    KafkaStreamletContext context = context("filter", "");
    FlinkStreamletLogic logic = new CloudflowHook().createLogic(context);

    assertThat(logic.streamletRef()).isEqualTo("filter");
    assertThat(logic.context()).isSameAs(context).isSameAs(logic.getContext());
  }

  @Test
  void getContextOutsideCreateLogicThrowsCloudflowsException() {
    FlinkStreamlet streamlet = new CloudflowHook() {
      @Override
      public StreamletShape shape() {
        getContext();
        return super.shape();
      }
    };

    assertThatThrownBy(streamlet::shape)
        .isInstanceOf(StreamletContextException.class)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("createLogic()");
  }

  @Test
  void aDescriptionIsShownByDescribe() {
    FlinkStreamlet described = new CloudflowHook() {
      @Override
      public String description() {
        return "Filters readings";
      }
    };

    assertThat(new CloudflowHook().description()).isEmpty();
    assertThat(new ApplicationDescription(Map.of("a", new CloudflowHook()), name -> Map.of()).toJson())
        .doesNotContain("\"description\":\"\"");
    assertThat(new ApplicationDescription(Map.of("f", described), name -> Map.of()).toJson())
        .contains("\"description\":\"Filters readings\"");
    assertThat(new ApplicationDescription(Map.of("f", described), name -> Map.of()).toText())
        .startsWith("streamlet f (" + described.getClass().getName() + ")\n  Filters readings\n");
  }

  @Test
  void outletsMayBeDeclaredAsCloudflowDid() {
    AvroOutlet<Reading> out = AvroOutlet.create("out", (Reading r) -> r.getId(), Reading.class);
    assertThat(StreamletShape.empty().withOutlets(out).outlets()).containsExactly(out);
  }
}
