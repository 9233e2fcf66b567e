package cloudflow.streamlets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.testdata.Measurement;
import cloudflow.flink.testdata.Place;
import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.avro.AvroCodec;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

  private final AvroCodec<Reading> codec = new AvroCodec<>(Reading.class);

  @Test
  void roundTripsRecordsInBinaryEncoding() {
    Reading first = new Reading("sensor-1", 42L);
    Reading second = new Reading("sensor-2", -7L);

    byte[] a = codec.encode(first);
    byte[] b = codec.encode(second);

    assertThat(codec.decode(a)).isEqualTo(first);
    assertThat(codec.decode(b)).isEqualTo(second);
    // binary encoding, no container header: 1 length byte + 8 chars + 1 zig-zag varint byte
    assertThat(a).hasSize(10);
  }

  @Test
  void writesTheSameBytesAsAvrosOwnWriterForLogicalTypesNestedRecordsUnionsAndArrays() throws Exception {
    AvroCodec<Measurement> measurements = new AvroCodec<>(Measurement.class);
    Measurement full = Measurement.newBuilder()
        .setAt(Instant.ofEpochMilli(1_700_000_000_123L))
        .setPlace(Place.newBuilder().setName("roof").setHeight(12.5).build())
        .setNote("windy")
        .setTags(List.of("a", "b"))
        .build();
    Measurement sparse = Measurement.newBuilder(full).setNote(null).setTags(List.of()).build();

    for (Measurement measurement : List.of(full, sparse)) {
      // the codec's custom coders and buffer against the class's own model and a plain stream
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(expected, null);
      new SpecificDatumWriter<>(Measurement.class).write(measurement, encoder);
      encoder.flush();

      byte[] encoded = measurements.encode(measurement);

      assertThat(encoded).isEqualTo(expected.toByteArray());
      assertThat(measurements.decode(encoded)).isEqualTo(measurement);
    }
    // a record larger than the initial buffer
    Measurement large = Measurement.newBuilder(full).setNote("x".repeat(10_000)).build();
    assertThat(measurements.decode(measurements.encode(large))).isEqualTo(large);
  }

  @Test
  void decodesANewObjectEveryTime() {
    byte[] bytes = codec.encode(new Reading("sensor-1", 42L));

    assertThat(codec.decodesNewObjects()).isTrue();
    assertThat(codec.decode(bytes)).isNotSameAs(codec.decode(bytes));
  }

  @Test
  void reportsBytesThatAreNotARecord() {
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xff}))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("Reading");
  }
}
