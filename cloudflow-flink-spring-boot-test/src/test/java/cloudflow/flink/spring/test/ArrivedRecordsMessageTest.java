package cloudflow.flink.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.streamlets.Codec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** How a timeout message lists what did arrive: readable, and short however much arrived. */
class ArrivedRecordsMessageTest {

  private static final Codec<String> TEXT = new Codec<>() {
    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  };

  private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
    return new ConsumerRecord<>("t", 0, 0, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void recordsAreListedOneALineWithTheirKeys() {
    assertThat(StreamletTestKafka.list(List.of(record("k1", "one"), record(null, "two")), TEXT))
        .isEqualTo(":\n  1. key=k1 one\n  2. key=null two");
    assertThat(StreamletTestKafka.list(List.of(), TEXT)).isEqualTo(".");
  }

  @Test
  void longRecordsAreCutAndManyRecordsSummarised() {
    String longValue = "x".repeat(1000);
    List<ConsumerRecord<byte[], byte[]>> many =
        IntStream.range(0, 25).mapToObj(i -> record("k" + i, i == 0 ? longValue : "v" + i)).toList();

    String listed = StreamletTestKafka.list(many, TEXT);

    assertThat(listed).contains("1. key=k0 " + "x".repeat(300) + "... (1000 characters)");
    assertThat(listed).contains("20. key=k19 v19").doesNotContain("k20 v20");
    assertThat(listed).endsWith("\n  ... and 5 more");
  }

  @Test
  void durationsReadAsSecondsOrMilliseconds() {
    assertThat(StreamletTestKafka.format(Duration.ofSeconds(30))).isEqualTo("30 s");
    assertThat(StreamletTestKafka.format(Duration.ofMillis(1500))).isEqualTo("1500 ms");
  }
}
