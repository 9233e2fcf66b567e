package cloudflow.streamlets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import org.junit.jupiter.api.Test;

class StreamletShapeTest {

  @Test
  void keepsInletsAndOutletsInDeclarationOrder() {
    StreamletShape shape =
        StreamletShape.createWithInlets(AvroInlet.create("in-a", Reading.class), AvroInlet.create("in-b", Reading.class))
            .withOutlets(AvroOutlet.create("out", Reading::getId, Reading.class));

    assertThat(shape.inlets()).extracting(StreamletPort::name).containsExactly("in-a", "in-b");
    assertThat(shape.outlets()).extracting(StreamletPort::name).containsExactly("out");
    assertThat(shape.port("in-b")).isPresent();
    assertThat(shape.port("missing")).isEmpty();
  }

  @Test
  void rejectsPortNamesThatBreakTheNamingRules() {
    for (String bad : new String[] {"In", "in_1", "-in", "in-", "", "a".repeat(64), "in.out"}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> StreamletShape.createWithInlets(AvroInlet.create(bad, Reading.class)))
          .withMessageContaining("Invalid port name '" + bad + "'");
    }
    assertThat(StreamletShape.isValidPortName("a-1")).isTrue();
    assertThat(StreamletShape.isValidPortName("a".repeat(63))).isTrue();
  }

  @Test
  void rejectsTheSameNameOnAnInletAndAnOutlet() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> StreamletShape.createWithInlets(AvroInlet.create("data", Reading.class))
                .withOutlets(AvroOutlet.create("data", Reading.class)))
        .withMessageContaining("Duplicate port name 'data'");
  }

  @Test
  void describesAvroSchemasWithoutRunningAnything() {
    SchemaDefinition schema = AvroInlet.create("in", Reading.class).schemaDefinition();

    assertThat(schema.name()).isEqualTo("cloudflow.flink.testdata.Reading");
    assertThat(schema.format()).isEqualTo("avro");
    assertThat(schema.schema()).contains("\"value\"");
    assertThat(schema.fingerprint()).isNotBlank();
  }
}
