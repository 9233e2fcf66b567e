package cloudflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testdata.Reading;
import cloudflow.flink.testdata.proto.ProtoReading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroOutlet;
import cloudflow.streamlets.bytearray.ExternalInlet;
import cloudflow.streamlets.proto.javadsl.ProtoInlet;
import cloudflow.streamlets.proto.javadsl.ProtoOutlet;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --cloudflow.describe} shows each port's format and schema: Avro as JSON, Protobuf as text. */
class ApplicationDescriptionPortsTest {

  static final class Mixed extends FlinkStreamlet {
    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(ProtoInlet.create("in", ProtoReading.class), ExternalInlet.create("foreign"))
          .withOutlets(ProtoOutlet.create("out", ProtoReading::getId, ProtoReading.class),
              AvroOutlet.create("avro", Reading.class));
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      throw new UnsupportedOperationException("describing must not build logic");
    }
  }

  @Test
  void describesProtobufRawAndAvroPorts() {
    ApplicationDescription description = new ApplicationDescription(Map.of("mixed", new Mixed()),
        name -> Map.of("in", "readings", "foreign", "their-topic", "out", "summaries", "avro", "avro-readings"));

    Config json = ConfigFactory.parseString(description.toJson()).getConfigList("streamlets").get(0);
    Config in = json.getConfigList("inlets").get(0);
    assertThat(in.getString("topic")).isEqualTo("readings");
    assertThat(in.getString("schema.format")).isEqualTo("proto");
    assertThat(in.getString("schema.name")).isEqualTo("cloudflow.flink.testdata.proto.ProtoReading");
    assertThat(in.getString("schema.schema")).contains("name: \"ProtoReading\"", "number: 2");
    assertThat(json.getConfigList("inlets").get(1).getString("schema.format")).isEqualTo("bytearray");
    assertThat(json.getConfigList("outlets").get(1).getString("schema.schema.name")).isEqualTo("Reading");
    assertThat(description.toText())
        .contains("inlet  in           cloudflow.flink.testdata.proto.ProtoReading (proto ")
        .contains("inlet  foreign      ByteArraySchema (bytearray ");
  }
}
