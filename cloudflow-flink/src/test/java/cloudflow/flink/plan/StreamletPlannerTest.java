package cloudflow.flink.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.IntegerConfigParameter;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/** The planner on its own: no Spring, no broker, no Flink job. */
class StreamletPlannerTest {

  private Catalog catalog = new Catalog(Map.of("in", "in-a"), Map.of("in", "source-out"));

  @Test
  void runsTheChosenStreamletWithItsTopicsAndTheApplicationsGuarantee() {
    StreamletDefinition source = plan(request("source", false, Map.of())).get(0);

    assertThat(source.streamletRef()).isEqualTo("source");
    assertThat(source.applicationId()).isEqualTo("app");
    assertThat(source.portMappings()).containsEntry("in", "in-a").containsEntry("out", "source-out");
    assertThat(source.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(source.restore()).isEqualTo(RestoreSettings.DEFAULT);
  }

  @Test
  void runsAllWhenAskedAndRefusesToGuessOtherwise() {
    assertThat(plan(request(null, true, Map.of()))).extracting(StreamletDefinition::streamletRef)
        .containsExactly("source", "doubler");

    assertThatExceptionOfType(InvalidStreamletPlanException.class)
        .isThrownBy(() -> plan(request(null, false, Map.of())))
        .withMessage("No streamlet chosen: this application has 2 streamlets (source, doubler) and runs one per process.")
        .satisfies(e -> assertThat(e.action()).contains("set streamlet=<name>", "set local=true"));
  }

  @Test
  void namesTheSettingOfAPortWithoutATopicInTheFrontEndsWords() {
    catalog = new Catalog(Map.of("in", "in-a"), Map.of());

    assertThatExceptionOfType(InvalidStreamletPlanException.class)
        .isThrownBy(() -> plan(request("doubler", false, Map.of())))
        .withMessage("Streamlet 'doubler' has ports without a Kafka topic: streamlets.doubler.ports.in.topic not set.");
  }

  @Test
  void takesPortSettingsOverTheBlueprintWithBadRecordsDeliveryAndRestore() {
    PlanRequest.Streamlet doubler = new PlanRequest.Streamlet(
        Map.of("in", new PlanRequest.Port("in-b", BadRecordHandling.Policy.DEAD_LETTER, null)),
        Map.of("factor", "3"), DeliveryGuarantee.EXACTLY_ONCE, Map.of("parallelism.default", "2"), false,
        "file:///savepoints/savepoint-1", true);

    StreamletDefinition definition = plan(request("doubler", false, Map.of("Doubler", doubler))).get(0);

    assertThat(definition.portMappings()).containsEntry("in", "in-b");
    assertThat(definition.badRecordsOf("in")).isEqualTo(new BadRecordHandling(BadRecordHandling.Policy.DEAD_LETTER, "in-b.dead-letter"));
    assertThat(definition.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    assertThat(definition.flinkSettings()).containsEntry("parallelism.default", "2");
    assertThat(definition.restore()).isEqualTo(new RestoreSettings("file:///savepoints/savepoint-1", true, false));
    assertThat(definition.config().getInt("cloudflow.streamlets.doubler.config-parameters.factor")).isEqualTo(3);
  }

  @Test
  void checksConfigParameterValuesAndSettingsOfStreamletsAndPortsThatDoNotExist() {
    PlanRequest.Streamlet badFactor = new PlanRequest.Streamlet(
        Map.of("in", new PlanRequest.Port("in-b", BadRecordHandling.Policy.SKIP, null)), Map.of("factor", "many"),
        null, Map.of(), true, null, false);

    assertThatExceptionOfType(InvalidStreamletPlanException.class)
        .isThrownBy(() -> plan(request("doubler", false, Map.of("doubler", badFactor))))
        .withMessageContaining("cloudflow.streamlets.doubler.config-parameters.factor = 'many' is not a valid int32");
    assertThatExceptionOfType(InvalidStreamletPlanException.class)
        .isThrownBy(() -> plan(request("doubler", false, Map.of("tripler", badFactor))))
        .withMessage("Setting streamlets.tripler names no streamlet of this application.");
    assertThatExceptionOfType(InvalidStreamletPlanException.class)
        .isThrownBy(() -> plan(request("doubler", false, Map.of("doubler", new PlanRequest.Streamlet(
            Map.of("input", new PlanRequest.Port("x", BadRecordHandling.Policy.SKIP, null)), Map.of(), null, Map.of(),
            true, null, false)))))
        .withMessage("Setting streamlets.doubler.ports.input names no port of streamlet 'doubler'.");
  }

  private List<StreamletDefinition> plan(PlanRequest request) {
    return StreamletPlanner.plan(request, catalog, ConfigFactory.empty(), SettingNames.PATHS);
  }

  private static PlanRequest request(String chosen, boolean runAll, Map<String, PlanRequest.Streamlet> streamlets) {
    return new PlanRequest("app", chosen, runAll, DeliveryGuarantee.AT_LEAST_ONCE, true, streamlets);
  }

  /** Two streamlets, as a blueprint would connect them: the source's ports, the doubler's outlet. */
  private record Catalog(Map<String, String> sourceTopics, Map<String, String> doublerTopics) implements StreamletCatalog {

    @Override
    public Set<String> names() {
      return new java.util.LinkedHashSet<>(List.of("source", "doubler"));
    }

    @Override
    public FlinkStreamlet streamlet(String name) {
      return switch (name) {
        case "source" -> new Pass();
        case "doubler" -> new Doubler();
        default -> null;
      };
    }

    @Override
    public StreamletShape shape(String name) {
      return streamlet(name).shape();
    }

    @Override
    public boolean hasBlueprint() {
      return true;
    }

    @Override
    public Map<String, String> blueprintPortMappings(String name) {
      Map<String, String> topics = new LinkedHashMap<>(name.equals("source") ? sourceTopics : doublerTopics);
      if (name.equals("source")) {
        topics.put("out", "source-out");
      }
      return topics;
    }
  }

  /** A streamlet with an inlet and an outlet. */
  static class Pass extends FlinkStreamlet {
    final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    final AvroOutlet<Reading> out = AvroOutlet.create("out", r -> "k", Reading.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      throw new AssertionError("planning builds no logic");
    }
  }

  /** The same shape, with a config parameter. */
  static class Doubler extends Pass {
    final IntegerConfigParameter factor = IntegerConfigParameter.create("factor", "How much to multiply").withDefaultValue(2);

    @Override
    public ConfigParameter<?>[] defineConfigParams() {
      return new ConfigParameter<?>[] {factor};
    }
  }
}
