package cloudflow.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.plan.BadRecordHandling;
import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.DecodeException;
import cloudflow.streamlets.InletErrorHandler;
import cloudflow.streamlets.avro.AvroCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** How an inlet's error handler and its bad-record policy share the records the codec rejects. */
class CodecRecordDeserializerTest {

  private static final byte[] GARBAGE = {(byte) 0xff, 1, 2};
  private static final Reading PLACEHOLDER = new Reading("unknown", -1L);

  private final SimpleCounter badRecords = new SimpleCounter();
  private final List<Reading> out = new ArrayList<>();
  private final List<byte[]> handled = new ArrayList<>();

  private CodecRecordDeserializer<Reading> deserializer(InletErrorHandler<Reading> handler, BadRecordHandling policy) {
    CodecRecordDeserializer<Reading> deserializer = new CodecRecordDeserializer<>(
        "in", "readings", new AvroCodec<>(Reading.class), Reading.class, handler, policy);
    deserializer.open(new DeserializationSchema.InitializationContext() {
      @Override
      public MetricGroup getMetricGroup() {
        return new UnregisteredMetricsGroup() {
          @Override
          public Counter counter(String name) {
            assertThat(name).isEqualTo(CodecRecordDeserializer.BAD_RECORDS_METRIC);
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

  private void deserialize(CodecRecordDeserializer<Reading> deserializer, byte[] value) throws Exception {
    deserializer.deserialize(new ConsumerRecord<>("readings", 0, 7L, null, value), new Collector<>() {
      @Override
      public void collect(Reading record) {
        out.add(record);
      }

      @Override
      public void close() {}
    });
  }

  private Optional<Reading> replaceWithPlaceholder(byte[] bytes, Throwable cause) {
    handled.add(bytes);
    assertThat(cause).isInstanceOf(DecodeException.class);
    return Optional.of(PLACEHOLDER);
  }

  @Test
  void aReplacementFromTheHandlerTakesTheBadRecordsPlaceAndIsCounted() throws Exception {
    // even under the fail policy: the handler's replacement comes first
    CodecRecordDeserializer<Reading> deserializer = deserializer(this::replaceWithPlaceholder,
        new BadRecordHandling(BadRecordHandling.Policy.FAIL, null));
    Reading good = new Reading("sensor-1", 3L);

    deserialize(deserializer, new AvroCodec<>(Reading.class).encode(good));
    deserialize(deserializer, GARBAGE);

    assertThat(out).containsExactly(good, PLACEHOLDER);
    assertThat(handled).containsExactly(GARBAGE);
    assertThat(badRecords.getCount()).isEqualTo(1);
  }

  @Test
  void noReplacementLeavesTheRecordToTheSkipPolicyAndIsCounted() throws Exception {
    CodecRecordDeserializer<Reading> deserializer = deserializer(CodecInlet::logAndSkip, BadRecordHandling.SKIP);

    deserialize(deserializer, GARBAGE);
    deserialize(deserializer, null);

    assertThat(out).isEmpty();
    assertThat(badRecords.getCount()).isEqualTo(2);
  }

  @Test
  void noReplacementLeavesTheRecordToTheFailPolicy() throws Exception {
    CodecRecordDeserializer<Reading> deserializer = deserializer((bytes, cause) -> Optional.empty(),
        new BadRecordHandling(BadRecordHandling.Policy.FAIL, null));

    assertThatThrownBy(() -> deserialize(deserializer, GARBAGE))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("readings-0@7")
        .hasMessageContaining("policy: fail");
    assertThat(out).isEmpty();
  }

  @Test
  void withoutAHandlerThePolicyDecidesAndCounts() throws Exception {
    CodecRecordDeserializer<Reading> deserializer = deserializer(null, BadRecordHandling.SKIP);

    deserialize(deserializer, GARBAGE);

    assertThat(out).isEmpty();
    assertThat(badRecords.getCount()).isEqualTo(1);
  }

  @Test
  void theHandlerGetsEmptyBytesForARecordWithoutValue() throws Exception {
    deserialize(deserializer(this::replaceWithPlaceholder, BadRecordHandling.SKIP), null);

    assertThat(handled).hasSize(1);
    assertThat(handled.get(0)).isEmpty();
    assertThat(out).containsExactly(PLACEHOLDER);
  }

  @Test
  void aHandlerReturningNullIsABugThatFailsTheJob() {
    CodecRecordDeserializer<Reading> deserializer = deserializer((bytes, cause) -> null, BadRecordHandling.SKIP);

    assertThatThrownBy(() -> deserialize(deserializer, GARBAGE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned null");
  }
}
