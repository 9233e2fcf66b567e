package cloudflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testdata.Reading;
import cloudflow.flink.testdata.proto.LegacyReading;
import cloudflow.flink.testdata.proto.ProtoReading;
import cloudflow.flink.testdata.proto.ProtoReadingTextValue;
import cloudflow.flink.testdata.proto.ProtoReadingV2;
import cloudflow.flink.testdata.proto.ProtoSummary;
import cloudflow.flink.testdata.proto.ProtoSummaryTextStats;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import cloudflow.streamlets.bytearray.ExternalInlet;
import cloudflow.streamlets.bytearray.ExternalOutlet;
import cloudflow.streamlets.json.JsonInlet;
import cloudflow.streamlets.json.JsonOutlet;
import cloudflow.streamlets.proto.javadsl.ProtoInlet;
import cloudflow.streamlets.proto.javadsl.ProtoOutlet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schema checks of Protobuf ports (field by field) and of raw and JSON ports (none: their topics are foreign). */
class ForeignAndProtoSchemaVerificationTest {

  record Order(String id, long amount) {}

  /** A streamlet with one port, for shapes only. */
  static final class OnePort extends FlinkStreamlet {
    private final StreamletShape shape;

    OnePort(CodecInlet<?> inlet) {
      this.shape = StreamletShape.createWithInlets(inlet);
    }

    OnePort(CodecOutlet<?> outlet) {
      this.shape = StreamletShape.createWithOutlets(outlet);
    }

    @Override
    public StreamletShape shape() {
      return shape;
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      throw new UnsupportedOperationException("verification must not build logic");
    }
  }

  private static final Map<String, FlinkStreamlet> STREAMLETS = new LinkedHashMap<>();

  static {
    STREAMLETS.put("proto-source", new OnePort(ProtoOutlet.create("out", ProtoReading::getId, ProtoReading.class)));
    STREAMLETS.put("proto-sink", new OnePort(ProtoInlet.create("in", ProtoReading.class)));
    STREAMLETS.put("newer-source", new OnePort(ProtoOutlet.create("out", ProtoReadingV2.class)));
    STREAMLETS.put("newer-sink", new OnePort(ProtoInlet.create("in", ProtoReadingV2.class)));
    STREAMLETS.put("text-sink", new OnePort(ProtoInlet.create("in", ProtoReadingTextValue.class)));
    STREAMLETS.put("legacy-sink", new OnePort(ProtoInlet.create("in", LegacyReading.class)));
    STREAMLETS.put("summary-source", new OnePort(ProtoOutlet.create("out", ProtoSummary.class)));
    STREAMLETS.put("text-stats-sink", new OnePort(ProtoInlet.create("in", ProtoSummaryTextStats.class)));
    STREAMLETS.put("avro-source", new OnePort(AvroOutlet.create("out", Reading.class)));
    STREAMLETS.put("avro-sink", new OnePort(AvroInlet.create("in", Reading.class)));
    STREAMLETS.put("raw-sink", new OnePort(ExternalInlet.create("in")));
    STREAMLETS.put("raw-source", new OnePort(ExternalOutlet.create("out")));
    STREAMLETS.put("json-sink", new OnePort(JsonInlet.create("in", Order.class)));
    STREAMLETS.put("json-source", new OnePort(JsonOutlet.create("out", Order::id, Order.class)));
  }

  private static VerificationResult verify(String producer, String consumer) {
    String from = producer.substring(0, producer.indexOf('.'));
    String to = consumer.substring(0, consumer.indexOf('.'));
    return BlueprintVerifier.verify(Blueprint.parse("blueprint { streamlets { " + from + " = " + from + ", " + to + " = " + to
        + " }\n topics { readings { producers = [" + producer + "], consumers = [" + consumer + "] } } }"),
        StreamletResolver.of(STREAMLETS));
  }

  @Test
  void acceptsTheSameProtobufMessageOnBothEnds() {
    assertThat(verify("proto-source.out", "proto-sink.in").problems()).isEmpty();
  }

  @Test
  void acceptsAProtobufConsumerWithAFieldTheProducerDoesNotWrite() {
    assertThat(verify("proto-source.out", "newer-sink.in").problems()).isEmpty();
  }

  @Test
  void acceptsAProtobufConsumerWithoutAFieldTheProducerWrites() {
    assertThat(verify("newer-source.out", "proto-sink.in").problems()).isEmpty();
  }

  @Test
  void refusesAProtobufConsumerWhoseFieldHasAnotherTypeNamingTopicAndField() {
    VerificationResult result = verify("proto-source.out", "text-sink.in");

    assertThat(result.errors()).singleElement().satisfies(problem -> {
      assertThat(problem.streamlet()).isEqualTo("text-sink");
      assertThat(problem.port()).isEqualTo("in");
      assertThat(problem.topic()).isEqualTo("readings");
      assertThat(problem.message()).isEqualTo("Message cloudflow.flink.testdata.proto.ProtoReadingTextValue of text-sink.in "
          + "cannot read message cloudflow.flink.testdata.proto.ProtoReading that proto-source.out writes to topic 'readings': "
          + "field value (number 2) is string in the consumer but int64 in the producer "
          + "(cloudflow.flink.testdata.proto.ProtoReading.value)");
    });
  }

  @Test
  void refusesAProto2ConsumerThatRequiresAFieldTheProducerDoesNotWrite() {
    VerificationResult result = verify("proto-source.out", "legacy-sink.in");

    assertThat(result.errors()).extracting(BlueprintProblem::message).singleElement().asString()
        .contains("topic 'readings'")
        .endsWith("required field unit (number 3) of cloudflow.flink.testdata.proto.LegacyReading is missing from "
            + "cloudflow.flink.testdata.proto.ProtoReading, so no record would parse");
  }

  @Test
  void comparesNestedMessagesFieldByField() {
    VerificationResult result = verify("summary-source.out", "text-stats-sink.in");

    assertThat(result.errors()).extracting(BlueprintProblem::message).singleElement().asString()
        .endsWith("field stats.count (number 1) is string in the consumer but int64 in the producer "
            + "(cloudflow.flink.testdata.proto.Stats.count)");
  }

  @Test
  void refusesAProtobufConsumerOfAnAvroTopic() {
    assertThat(verify("avro-source.out", "proto-sink.in").errors()).extracting(BlueprintProblem::message)
        .containsExactly("proto-sink.in reads proto but avro-source.out writes avro to topic 'readings'");
  }

  @Test
  void checksNoSchemaWhereAnEndIsARawPort() {
    assertThat(verify("avro-source.out", "raw-sink.in").problems()).isEmpty();
    assertThat(verify("raw-source.out", "proto-sink.in").problems()).isEmpty();
    assertThat(verify("json-source.out", "raw-sink.in").problems()).isEmpty();
  }

  @Test
  void checksNoSchemaBetweenJsonPortsButRefusesJsonReadingAvro() {
    assertThat(verify("json-source.out", "json-sink.in").problems()).isEmpty();
    assertThat(verify("avro-source.out", "json-sink.in").errors()).extracting(BlueprintProblem::message)
        .containsExactly("json-sink.in reads json but avro-source.out writes avro to topic 'readings'");
  }

  @Test
  void treatsATopicReadOnlyByRawOrJsonPortsAsExternal() {
    VerificationResult result = BlueprintVerifier.verify(Blueprint.parse("""
        blueprint {
          streamlets { raw-sink = raw-sink, json-sink = json-sink, avro-sink = avro-sink, raw-source = raw-source }
          topics {
            foreign-in { consumers = [raw-sink.in, json-sink.in] }
            foreign-out { producers = [raw-source.out] }
            ours { consumers = [avro-sink.in] }
          }
        }
        """), StreamletResolver.of(STREAMLETS));

    assertThat(result.errors()).extracting(BlueprintProblem::message).containsExactly(
        "Topic 'ours' has consumers but no producer; mark it 'external = true' if it is written outside this blueprint");
  }
}
