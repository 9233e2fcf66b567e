package cloudflow.streamlets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.avro.AvroCodec;
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
  void reportsBytesThatAreNotARecord() {
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xff}))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("Reading");
  }
}
