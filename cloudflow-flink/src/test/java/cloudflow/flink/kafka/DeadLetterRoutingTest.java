package cloudflow.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** The way of a dead letter after the source: split off, carried by Flink, written with its headers. */
class DeadLetterRoutingTest {

  private static final DeadLetter BAD =
      new DeadLetter(new byte[] {'k'}, new byte[] {(byte) 0xff, 1}, "readings", 3, 17L, "Cannot decode 2 bytes");

  @Test
  void theSplitPassesRecordsOnAndSendsDeadLettersToTheSideOutput() {
    DeadLetterSplit<String> split = new DeadLetterSplit<>("readings.dead-letter");
    List<String> main = new ArrayList<>();
    List<Object> side = new ArrayList<>();
    Collector<String> out = new Collector<>() {
      @Override
      public void collect(String record) {
        main.add(record);
      }

      @Override
      public void close() {}
    };
    DeadLetterSplit<String>.Context context = split.new Context() {
      @Override
      public Long timestamp() {
        return null;
      }

      @Override
      public TimerService timerService() {
        throw new UnsupportedOperationException();
      }

      @Override
      public <X> void output(OutputTag<X> tag, X value) {
        assertThat(tag).isEqualTo(DeadLetterSplit.DEAD_LETTERS);
        side.add(value);
      }
    };

    split.processElement(Either.Left("good"), context, out);
    split.processElement(Either.Right(BAD), context, out);

    assertThat(main).containsExactly("good");
    assertThat(side).containsExactly(BAD);
  }

  @Test
  void writesTheBadBytesToTheDeadLetterTopicWithTheErrorAndSourceHeaders() {
    DeadLetterSerializer serializer = new DeadLetterSerializer("readings.dead-letter");

    ProducerRecord<byte[], byte[]> record = serializer.serialize(BAD, null, 1234L);

    assertThat(record.topic()).isEqualTo("readings.dead-letter");
    assertThat(record.key()).isEqualTo(BAD.key());
    assertThat(record.value()).isEqualTo(BAD.value());
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.of(
        "cloudflow.error", "Cannot decode 2 bytes",
        "cloudflow.source.topic", "readings",
        "cloudflow.source.partition", "3",
        "cloudflow.source.offset", "17"));
    assertThat(serializer.getKafkaDatasetFacet()).isPresent();
  }

  @Test
  void flinkCarriesDeadLettersAsPojosWithMissingKeysAndValues() throws Exception {
    assertThat(DeadLetter.TYPE).isInstanceOf(PojoTypeInfo.class);
    TypeSerializer<DeadLetter> serializer = DeadLetter.TYPE.createSerializer(new SerializerConfigImpl());
    DeadLetter tombstone = new DeadLetter(null, null, "readings", 0, 5L, "record has no value");

    for (DeadLetter letter : List.of(BAD, tombstone)) {
      DataOutputSerializer bytes = new DataOutputSerializer(64);
      serializer.serialize(letter, bytes);
      DeadLetter copy = serializer.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));

      assertThat(copy.key()).isEqualTo(letter.key());
      assertThat(copy.value()).isEqualTo(letter.value());
      assertThat(copy).extracting(DeadLetter::topic, DeadLetter::partition, DeadLetter::offset, DeadLetter::reason)
          .containsExactly(letter.topic(), letter.partition(), letter.offset(), letter.reason());
    }
  }
}
