package cloudflow.streamlets;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.avro.AvroCodec;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import java.util.Optional;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** Cloudflow's names of shapes and ports, next to ours. */
class CloudflowShapeAndPortAliasesTest {

  @Test
  void emptyIsAShapeWithoutPorts() {
    assertThat(StreamletShape.empty().ports()).isEmpty();
    assertThat(StreamletShape.empty().withInlets(AvroInlet.create("in", Reading.class)).inlets())
        .extracting(StreamletPort::name)
        .containsExactly("in");
  }

  @Test
  void inletsHaveNoErrorHandlerUnlessGivenOne() {
    assertThat(AvroInlet.create("in", Reading.class).errorHandler()).isEmpty();
    assertThat(AvroInlet.create("in", Reading.class, true).errorHandler()).isEmpty();
  }

  @Test
  void theFourArgumentCreateKeepsTheErrorHandlerAndTheGroupChoice() {
    Reading placeholder = new Reading("unknown", 0L);
    AvroInlet<Reading> in =
        AvroInlet.create("in", Reading.class, true, (bytes, cause) -> Optional.of(placeholder));

    assertThat(in.hasUniqueGroupId()).isTrue();
    assertThat(in.errorHandler()).isPresent();
    assertThat(in.errorHandler().get().handle(new byte[0], new RuntimeException())).contains(placeholder);
    assertThat(in.withUniqueGroupId().errorHandler()).isPresent();
  }

  @Test
  void withErrorHandlerReplacesTheHandler() {
    AvroInlet<Reading> in = AvroInlet.create("in", Reading.class).withErrorHandler(CodecInlet::logAndSkip);

    assertThat(in.errorHandler()).isPresent();
    assertThat(in.errorHandler().get().handle(new byte[] {1}, new RuntimeException("bad"))).isEmpty();
  }

  @Test
  void schemaAsStringIsTheAvroSchema() {
    String schema = AvroCodec.schemaOf(Reading.class).toString(false);

    assertThat(AvroInlet.create("in", Reading.class).schemaAsString()).isEqualTo(schema);
    assertThat(AvroOutlet.create("out", Reading.class).schemaAsString()).isEqualTo(schema);
  }

  @Test
  void shapesAndPortsWithTheirHandlersSurviveSerialization() throws Exception {
    Reading placeholder = new Reading("unknown", 0L);
    AvroInlet<Reading> in = AvroInlet.create("in", Reading.class, false, (bytes, cause) -> Optional.of(placeholder));
    StreamletShape shape =
        StreamletShape.createWithInlets(in).withOutlets(AvroOutlet.create("out", Reading::getId, Reading.class));

    StreamletShape copy = InstantiationUtil.clone(shape);

    @SuppressWarnings("unchecked")
    AvroInlet<Reading> copiedIn = (AvroInlet<Reading>) copy.inlets().get(0);
    assertThat(copiedIn.errorHandler().get().handle(new byte[0], new RuntimeException())).contains(placeholder);
    @SuppressWarnings("unchecked")
    AvroOutlet<Reading> copiedOut = (AvroOutlet<Reading>) copy.outlets().get(0);
    assertThat(copiedOut.partitioner().apply(new Reading("sensor-1", 1L))).isEqualTo("sensor-1");
  }
}
