package cloudflow.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.kafka.KafkaStreamletContext;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.IntegerConfigParameter;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.flink.api.common.InvalidProgramException;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.SimpleUdfStreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * A function in {@code buildExecutionGraph()} may call a method of the logic, as in Cloudflow: the
 * logic, its context and its streamlet serialize with the function, without the environment.
 */
class SerializableLogicTest {

  /** Cloudflow's tutorial style: ports as fields, anonymous logic, a lambda calling a logic method. */
  static class Tagger extends FlinkStreamlet {
    final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);
    final IntegerConfigParameter factor = IntegerConfigParameter.create("factor", "Multiplier").withDefaultValue(2);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        Reading tag(Reading r) {
          // runs on the task manager: reads the config parameter through the deserialized context
          return new Reading(streamletRef() + ":" + r.getId(), r.getValue() * factor.getValue(getContext()));
        }

        @Override
        public void buildExecutionGraph() {
          writeStream(out, readStream(in).map((Reading r) -> tag(r)));
        }
      };
    }
  }

  /** The same, with a field that cannot be serialized: it fails as it did in Cloudflow. */
  static class Unserializable extends Tagger {
    final Object client = new Object();
  }

  private static KafkaStreamletContext context(StreamExecutionEnvironment env, StreamletShape shape) {
    StreamletDefinition definition = new StreamletDefinition(
        "app", "tagger", Map.of("in", "t-in", "out", "t-out"),
        ConfigFactory.parseString("cloudflow.streamlets.tagger.config-parameters.factor = 3"));
    return new KafkaStreamletContext(env, definition, shape, KafkaSettings.of("localhost:9092"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aLambdaCallingALogicMethodIsShippedWithTheLogicAndStillWorks() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    Tagger streamlet = new Tagger();

    // Flink's closure cleaner checks serializability here, as job submission would
    streamlet.createLogic(context(env, streamlet.shape())).buildExecutionGraph();

    MapFunction<Reading, Reading> function = null;
    for (Transformation<?> step : env.getTransformations().get(0).getTransitivePredecessors()) {
      if (step instanceof OneInputTransformation<?, ?> map
          && map.getOperatorFactory() instanceof SimpleUdfStreamOperatorFactory<?> udf) {
        function = (MapFunction<Reading, Reading>) udf.getUserFunction();
      }
    }
    assertThat(function).isNotNull();
    // what a task manager gets: a copy without the environment
    MapFunction<Reading, Reading> shipped = InstantiationUtil.clone(function);
    assertThat(shipped.map(new Reading("sensor-1", 5L))).isEqualTo(new Reading("tagger:sensor-1", 15L));
  }

  @Test
  void aContextKeepsItsConfigurationButNotItsEnvironmentWhenSerialized() throws Exception {
    KafkaStreamletContext context = context(StreamExecutionEnvironment.getExecutionEnvironment(), StreamletShape.empty());

    KafkaStreamletContext copy = InstantiationUtil.clone(context);

    assertThat(copy.streamletRef()).isEqualTo("tagger");
    assertThat(copy.streamletConfig().getInt("factor")).isEqualTo(3);
    assertThat(copy.portMappings()).containsEntry("in", "t-in");
    assertThat(copy.env()).isNull();
  }

  @Test
  void aStreamletWithAnUnserializableFieldFailsAtGraphBuildingAsInCloudflow() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    Unserializable streamlet = new Unserializable();
    FlinkStreamletLogic logic = streamlet.createLogic(context(env, streamlet.shape()));

    assertThatThrownBy(logic::buildExecutionGraph)
        .isInstanceOf(InvalidProgramException.class)
        .hasMessageContaining("not serializable");
  }
}
