package cloudflow.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.Codec;
import cloudflow.streamlets.DecodeException;
import cloudflow.streamlets.InletErrorHandler;
import cloudflow.streamlets.avro.AvroCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What a dead-lettering inlet's source emits: decoded records on the left, dead letters on the right. */
class DeadLetteringDeserializerTest {

  private static final byte[] GARBAGE = {(byte) 0xff, 1, 2};
  private static final byte[] KEY = {'k'};

  private final SimpleCounter badRecords = new SimpleCounter();
  private final List<Either<Reading, DeadLetter>> out = new ArrayList<>();

  private DeadLetteringDeserializer<Reading> deserializer(Codec<Reading> codec, InletErrorHandler<Reading> handler) {
    DeadLetteringDeserializer<Reading> deserializer = new DeadLetteringDeserializer<>("in", "readings", codec, Reading.class, handler);
    deserializer.open(new DeserializationSchema.InitializationContext() {
      @Override
      public MetricGroup getMetricGroup() {
        return new UnregisteredMetricsGroup() {
          @Override
          public Counter counter(String name) {
            assertThat(name).isEqualTo(InletDeserializer.BAD_RECORDS_METRIC);
            return badRecords;
          }
        };
      }

      @Override
      public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
      }
    });
    return deserializer;
  }

  private void deserialize(DeadLetteringDeserializer<Reading> deserializer, byte[] value) throws Exception {
    deserializer.deserialize(new ConsumerRecord<>("readings", 2, 41L, KEY, value), new Collector<>() {
      @Override
      public void collect(Either<Reading, DeadLetter> record) {
        out.add(record);
      }

      @Override
      public void close() {}
    });
  }

  @Test
  void passesDecodedRecordsOnTheLeftAndBadOnesWithTheirBytesAndOriginOnTheRight() throws Exception {
    DeadLetteringDeserializer<Reading> deserializer = deserializer(new AvroCodec<>(Reading.class), null);
    Reading good = new Reading("sensor-1", 3L);

    deserialize(deserializer, new AvroCodec<>(Reading.class).encode(good));
    deserialize(deserializer, GARBAGE);

    assertThat(out).hasSize(2);
    assertThat(out.get(0).left()).isEqualTo(good);
    DeadLetter bad = out.get(1).right();
    assertThat(bad.key()).isEqualTo(KEY);
    assertThat(bad.value()).isEqualTo(GARBAGE);
    assertThat(bad.topic()).isEqualTo("readings");
    assertThat(bad.partition()).isEqualTo(2);
    assertThat(bad.offset()).isEqualTo(41L);
    assertThat(bad.reason()).startsWith("Cannot decode 3 bytes as Avro").doesNotEndWith(": null");
    assertThat(badRecords.getCount()).isEqualTo(1);
  }

  @Test
  void aReplacementFromTheHandlerIsPassedOnInsteadOfADeadLetterAndCounted() throws Exception {
    Reading placeholder = new Reading("unknown", -1L);
    DeadLetteringDeserializer<Reading> deserializer =
        deserializer(new AvroCodec<>(Reading.class), (bytes, cause) -> Optional.of(placeholder));

    deserialize(deserializer, GARBAGE);

    assertThat(out).hasSize(1);
    assertThat(out.get(0).isLeft()).isTrue();
    assertThat(out.get(0).left()).isEqualTo(placeholder);
    assertThat(badRecords.getCount()).isEqualTo(1);
  }

  @Test
  void aRecordWithoutValueIsADeadLetterWithoutValue() throws Exception {
    deserialize(deserializer(new AvroCodec<>(Reading.class), (bytes, cause) -> Optional.empty()), null);

    assertThat(out).hasSize(1);
    assertThat(out.get(0).right().value()).isNull();
    assertThat(out.get(0).right().reason()).isEqualTo("record has no value");
  }

  @Test
  void theReasonNamesTheExceptionClassWhenTheCodecGivesNoMessage() throws Exception {
    Codec<Reading> silent = new Codec<>() {
      @Override
      public byte[] encode(Reading value) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Reading decode(byte[] bytes) {
        throw new DecodeException(null, null);
      }
    };

    deserialize(deserializer(silent, null), GARBAGE);

    assertThat(out.get(0).right().reason()).isEqualTo(DecodeException.class.getName());
  }

  @Test
  void producesAnEitherTypeWhoseSidesUseTheirOwnSerializers() {
    assertThat(deserializer(new AvroCodec<>(Reading.class), null).getProducedType())
        .isInstanceOf(EitherTypeInfo.class)
        .isEqualTo(DeadLetteringDeserializer.typeOf(Reading.class));
  }

  @Test
  void theReasonFollowsTheCauseWhenTheCodecsExceptionHasNoMessage() throws Exception {
    Codec<Reading> wrapping = new Codec<>() {
      @Override
      public byte[] encode(Reading value) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Reading decode(byte[] bytes) {
        throw new DecodeException(null, new java.io.EOFException());
      }
    };

    deserialize(deserializer(wrapping, null), GARBAGE);

    assertThat(out.get(0).right().reason())
        .isEqualTo(DecodeException.class.getName() + ": " + java.io.EOFException.class.getName());
  }
}
