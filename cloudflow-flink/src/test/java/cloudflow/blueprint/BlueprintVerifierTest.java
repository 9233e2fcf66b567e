package cloudflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.blueprint.BlueprintProblem.Severity;
import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlueprintVerifierTest {

  abstract static class ShapeOnly extends FlinkStreamlet {
    @Override
    public FlinkStreamletLogic createLogic() {
      throw new UnsupportedOperationException("verification must not build logic");
    }
  }

  public static final class Source extends ShapeOnly {
    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithOutlets(AvroOutlet.create("out", Reading::getId, Reading.class));
    }
  }

  public static final class Processor extends ShapeOnly {
    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(AvroInlet.create("in", Reading.class))
          .withOutlets(AvroOutlet.create("out", Reading.class));
    }
  }

  public static final class Sink extends ShapeOnly {
    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(AvroInlet.create("in", Reading.class));
    }
  }

  public static final class NewerSink extends ShapeOnly {
    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(AvroInlet.create("in", cloudflow.flink.testdata.v2.Reading.class));
    }
  }

  public static final class IncompatibleSink extends ShapeOnly {
    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(AvroInlet.create("in", cloudflow.flink.testdata.incompatible.Reading.class));
    }
  }

  public static final class BrokenShape extends ShapeOnly {
    @Override
    public StreamletShape shape() {
      throw new IllegalStateException("boom");
    }
  }

  private static final StreamletResolver BEANS =
      StreamletResolver.of(Map.of("source", new Source(), "processor", new Processor(), "sink", new Sink()));

  private static VerificationResult verify(String blueprint) {
    return BlueprintVerifier.verify(Blueprint.parse(blueprint), BEANS);
  }

  private static final String VALID =
      """
      blueprint {
        streamlets { source = source, processor = processor, sink = sink }
        topics {
          raw { producers = [source.out], consumers = [processor.in] }
          processed { producers = [processor.out], consumers = [sink.in], topic.name = processed-v1 }
        }
      }
      """;

  @Test
  void acceptsAPipelineWhosePortsAreAllConnected() {
    VerificationResult result = verify(VALID);

    assertThat(result.problems()).isEmpty();
    assertThat(result.isValid()).isTrue();
    assertThat(Blueprint.parse(VALID).portMappings("processor")).containsExactly(
        Map.entry("out", "processed-v1"), Map.entry("in", "raw"));
  }

  @Test
  void resolvesClassNamesAndUsesOneClassUnderSeveralNames() {
    VerificationResult result = verify("""
        blueprint {
          streamlets { a = "cloudflow.blueprint.BlueprintVerifierTest$Source", b = "cloudflow.blueprint.BlueprintVerifierTest$Source", sink = sink }
          topics { t { producers = [a.out, b.out], consumers = [sink.in] } }
        }
        """);

    assertThat(result.problems()).isEmpty();
  }

  @Test
  void reportsAnUnknownBeanOrClass() {
    assertOnlyError(verify("""
        blueprint {
          streamlets { ghost = com.example.Missing }
          topics {}
        }
        """), "ghost", null, null, "Streamlet 'ghost' refers to com.example.Missing: no streamlet bean or class named 'com.example.Missing'");
  }

  @Test
  void reportsAShapeThatCannotBeRead() {
    assertOnlyError(verify("""
        blueprint { streamlets { broken = "cloudflow.blueprint.BlueprintVerifierTest$BrokenShape" } }
        """), "broken", null, null, "The shape of streamlet 'broken' (cloudflow.blueprint.BlueprintVerifierTest$BrokenShape) cannot be read: boom");
  }

  @Test
  void reportsAnUnknownStreamletInATopic() {
    assertOnlyError(verify(VALID.replace("consumers = [sink.in]", "consumers = [sink.in, nobody.in]")),
        "nobody", "in", "processed", "Topic 'processed' refers to unknown streamlet 'nobody' in nobody.in; streamlets: [processor, sink, source]");
  }

  @Test
  void reportsAnUnknownPort() {
    assertOnlyErrors(verify(VALID.replace("consumers = [sink.in]", "consumers = [sink.input]")),
        "Topic 'processed' refers to unknown port 'input' of streamlet 'sink'; its ports: [in]",
        "Inlet sink.in is not connected to any topic");
  }

  @Test
  void reportsAPortOnTheWrongSideOfATopic() {
    assertOnlyErrors(verify(VALID.replace("producers = [source.out], consumers = [processor.in]", "producers = [processor.in], consumers = [source.out]")),
        "processor.in is an inlet but is listed as producer of topic 'raw'",
        "source.out is an outlet but is listed as consumer of topic 'raw'");
  }

  @Test
  void reportsAnUnconnectedInletAsAnErrorAndAnUnconnectedOutletAsAWarning() {
    VerificationResult result = verify("""
        blueprint { streamlets { processor = processor } }
        """);

    assertThat(result.errors()).extracting(BlueprintProblem::message).containsExactly("Inlet processor.in is not connected to any topic");
    assertThat(result.warnings()).extracting(BlueprintProblem::message)
        .containsExactly("Outlet processor.out is not connected to any topic; what it writes is dropped");
  }

  @Test
  void reportsAnUnconnectedOutletAsAnErrorWhenStrict() {
    VerificationResult result = BlueprintVerifier.verify(Blueprint.parse("blueprint { streamlets { source = source } }"), BEANS, true);

    assertOnlyError(result, "source", "out", null, "Outlet source.out is not connected to any topic");
  }

  @Test
  void reportsAnInletConnectedToSeveralTopics() {
    assertOnlyError(verify(VALID.replace("consumers = [sink.in], topic.name", "consumers = [sink.in, processor.in], topic.name")),
        "processor", "in", "raw", "Inlet processor.in is connected to several topics [processed, raw]; a port reads from or writes to one topic");
  }

  @Test
  void reportsTopicsWithoutProducersOrConsumersUnlessExternal() {
    VerificationResult result = verify("""
        blueprint {
          streamlets { processor = processor }
          topics {
            in { consumers = [processor.in] }
            out { producers = [processor.out] }
            empty {}
          }
        }
        """);

    assertThat(result.errors()).extracting(BlueprintProblem::message).containsExactly(
        "Topic 'empty' has no producers and no consumers",
        "Topic 'in' has consumers but no producer; mark it 'external = true' if it is written outside this blueprint",
        "Topic 'out' has producers but no consumer; mark it 'external = true' if it is read outside this blueprint");
    assertThat(verify("""
        blueprint {
          streamlets { processor = processor }
          topics { in { consumers = [processor.in], external = true }, out { producers = [processor.out], external = true } }
        }
        """).problems()).isEmpty();
  }

  @Test
  void reportsInvalidNames() {
    assertOnlyErrors(verify(VALID.replace("source = source", "Source_1 = source").replace("[source.out]", "[Source_1.out]")
            .replace("topic.name = processed-v1", "topic.name = \"processed v1\"")),
        "Invalid streamlet name 'Source_1': use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
        "Invalid topic name 'processed v1' of topic 'processed': use letters, digits, '.', '_' and '-', at most 249 characters");
    assertThat(verify(VALID.replace("[source.out]", "[source]")).errors())
        .containsExactly(new BlueprintProblem(Severity.ERROR, null, null, "raw", "Invalid producer 'source' of topic 'raw': write <streamlet>.<port>"));
  }

  @Test
  void reportsAPortListedTwice() {
    VerificationResult result = verify(VALID.replace("[source.out]", "[source.out, source.out]"));

    assertThat(result.errors()).extracting(BlueprintProblem::message).containsExactly("Topic 'raw' lists producer source.out twice");
  }

  @Test
  void acceptsAConsumerWhoseNewerSchemaCanReadTheProducers() {
    VerificationResult result = BlueprintVerifier.verify(Blueprint.parse("""
        blueprint {
          streamlets { source = source, newer = "cloudflow.blueprint.BlueprintVerifierTest$NewerSink" }
          topics { raw { producers = [source.out], consumers = [newer.in] } }
        }
        """), BEANS);

    assertThat(result.problems()).isEmpty();
  }

  @Test
  void reportsAConsumerWhoseSchemaCannotReadTheProducersNamingTheField() {
    VerificationResult result = BlueprintVerifier.verify(Blueprint.parse("""
        blueprint {
          streamlets { source = source, old = "cloudflow.blueprint.BlueprintVerifierTest$IncompatibleSink" }
          topics { raw { producers = [source.out], consumers = [old.in] } }
        }
        """), BEANS);

    assertThat(result.errors()).singleElement().satisfies(problem -> {
      assertThat(problem.streamlet()).isEqualTo("old");
      assertThat(problem.port()).isEqualTo("in");
      assertThat(problem.topic()).isEqualTo("raw");
      assertThat(problem.message())
          .startsWith("Schema cloudflow.flink.testdata.incompatible.Reading of old.in cannot read schema cloudflow.flink.testdata.Reading that source.out writes to topic 'raw'")
          .contains("location");
    });
  }

  @Test
  void reportsEveryProblemAtOnceAsTextAndJson() {
    VerificationResult result = verify("""
        blueprint {
          streamlets { processor = processor, ghost = com.example.Missing }
          topics { t { producers = [processor.out], consumers = [processor.nope] } }
        }
        """);

    assertThat(result.errors()).hasSize(3);
    assertThat(result.toText()).contains("ghost", "nope", "Inlet processor.in", "Blueprint is invalid (3 errors, 0 warnings)");
    var json = ConfigFactory.parseString(result.toJson());
    assertThat(json.getBoolean("valid")).isFalse();
    assertThat(json.getInt("errors")).isEqualTo(3);
    assertThat(json.getConfigList("problems")).hasSize(3);
    assertThat(json.getConfigList("problems").get(0).getString("severity")).isEqualTo("error");
  }

  private static void assertOnlyError(VerificationResult result, String streamlet, String port, String topic, String message) {
    assertThat(result.problems()).containsExactly(new BlueprintProblem(Severity.ERROR, streamlet, port, topic, message));
  }

  private static void assertOnlyErrors(VerificationResult result, String... messages) {
    assertThat(result.warnings()).isEmpty();
    assertThat(result.errors()).extracting(BlueprintProblem::message).containsExactly(messages);
  }
}
