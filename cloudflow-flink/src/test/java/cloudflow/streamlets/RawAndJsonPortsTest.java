package cloudflow.streamlets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import cloudflow.streamlets.bytearray.ByteArrayCodec;
import cloudflow.streamlets.bytearray.ExternalInlet;
import cloudflow.streamlets.bytearray.ExternalOutlet;
import cloudflow.streamlets.json.JsonCodec;
import cloudflow.streamlets.json.JsonInlet;
import cloudflow.streamlets.json.JsonOutlet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RawAndJsonPortsTest {

  record Order(String id, long amount) {}

  @Test
  void rawPortsPassBytesAsTheyAreWithCloudflowsSchemaDefinition() throws Exception {
    byte[] bytes = {0, (byte) 0xff, 7};
    ExternalInlet in = ExternalInlet.create("in");
    ExternalOutlet out = ExternalOutlet.create("out", b -> String.valueOf(b.length));

    assertThat(in.codec().decode(bytes)).isSameAs(bytes);
    assertThat(out.codec().encode(bytes)).isSameAs(bytes);
    assertThat(out.partitioner().apply(bytes)).isEqualTo("3");
    assertThat(in.recordClass()).isEqualTo(byte[].class);
    String fingerprint = Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest("ByteArraySchema".getBytes(StandardCharsets.UTF_8)));
    assertThat(in.schemaDefinition()).isEqualTo(out.schemaDefinition())
        .isEqualTo(new SchemaDefinition("ByteArraySchema", "ByteArraySchema", fingerprint, ByteArrayCodec.FORMAT));
    assertThat(ExternalInlet.create("in", true).hasUniqueGroupId()).isTrue();
  }

  @Test
  void jsonPortsMapRecordsWithJacksonIgnoringUnknownProperties() {
    JsonOutlet<Order> out = JsonOutlet.create("out", Order::id, Order.class);
    JsonInlet<Order> in = JsonInlet.create("in", Order.class);

    byte[] json = out.codec().encode(new Order("o-1", 12));

    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"o-1\",\"amount\":12}");
    assertThat(in.codec().decode(json)).isEqualTo(new Order("o-1", 12));
    assertThat(in.codec().decode("{\"amount\":3,\"id\":\"o-2\",\"added\":{\"by\":\"someone else\"}}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Order("o-2", 3));
    assertThat(out.partitioner().apply(new Order("o-9", 1))).isEqualTo("o-9");
    assertThat(in.schemaDefinition().format()).isEqualTo(JsonCodec.FORMAT);
  }

  @Test
  void throwsADecodeExceptionForBytesThatAreNotAJsonRecord() {
    JsonCodec<Order> codec = new JsonCodec<>(Order.class);

    assertThatExceptionOfType(DecodeException.class)
        .isThrownBy(() -> codec.decode("{\"id\": ".getBytes(StandardCharsets.UTF_8)))
        .withMessageStartingWith("Cannot decode 7 bytes as JSON " + Order.class.getName());
    assertThatExceptionOfType(DecodeException.class)
        .isThrownBy(() -> codec.decode("null".getBytes(StandardCharsets.UTF_8)))
        .withMessageContaining("the JSON value is null");
  }
}
