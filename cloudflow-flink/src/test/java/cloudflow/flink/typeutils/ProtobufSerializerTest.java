package cloudflow.flink.typeutils;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.testdata.proto.ProtoReading;
import cloudflow.flink.testdata.proto.ProtoSummary;
import cloudflow.flink.testdata.proto.Stats;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ProtobufSerializerTest {

  private static final ProtoSummary SUMMARY = ProtoSummary.newBuilder().setId("s-1")
      .setStats(Stats.newBuilder().setCount(3).addValues(1).addValues(2).addValues(-3)).build();

  @Test
  void portsOfGeneratedProtobufClassesGetProtobufTypeInformationNotKryo() {
    TypeInformation<ProtoSummary> type = FlinkStreamletContext.typeInfoOf(ProtoSummary.class);

    assertThat(type).isEqualTo(new ProtobufTypeInfo<>(ProtoSummary.class));
    assertThat(type.createSerializer(new SerializerConfigImpl())).isInstanceOf(ProtobufSerializer.class);
  }

  @Test
  void writesMessagesBehindTheirLengthAndReadsThemBack() throws Exception {
    TypeSerializer<ProtoSummary> serializer = new ProtobufSerializer<>(ProtoSummary.class);
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(SUMMARY, out);
    serializer.serialize(ProtoSummary.getDefaultInstance(), out);

    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    assertThat(in.readInt()).isEqualTo(SUMMARY.getSerializedSize());
    in = new DataInputDeserializer(out.getCopyOfBuffer());
    assertThat(serializer.deserialize(in)).isEqualTo(SUMMARY);
    assertThat(serializer.deserialize(in)).isEqualTo(ProtoSummary.getDefaultInstance());
    assertThat(in.available()).isZero();
  }

  @Test
  void copiesSerializedMessagesWithoutParsingThem() throws Exception {
    TypeSerializer<ProtoSummary> serializer = new ProtobufSerializer<>(ProtoSummary.class);
    DataOutputSerializer first = new DataOutputSerializer(64);
    serializer.serialize(SUMMARY, first);
    DataOutputSerializer second = new DataOutputSerializer(64);

    serializer.copy(new DataInputDeserializer(first.getCopyOfBuffer()), second);

    assertThat(second.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
    assertThat(serializer.copy(SUMMARY)).isSameAs(SUMMARY); // messages are immutable
    assertThat(serializer.createInstance()).isEqualTo(ProtoSummary.getDefaultInstance());
  }

  @Test
  void snapshotRestoresTheSerializerAndAcceptsOnlyTheSameMessageClass() throws Exception {
    ProtobufSerializer<ProtoSummary> serializer = new ProtobufSerializer<>(ProtoSummary.class);
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());

    TypeSerializerSnapshot<ProtoSummary> restored = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

    assertThat(restored.restoreSerializer()).isEqualTo(serializer);
    assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
    @SuppressWarnings({"unchecked", "rawtypes"})
    TypeSerializerSnapshot<ProtoSummary> other = (TypeSerializerSnapshot) new ProtobufSerializer<>(ProtoReading.class).snapshotConfiguration();
    assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(other).isIncompatible()).isTrue();
  }
}
