package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import cloudflow.streamlets.avro.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * Readings into the processor's inlet topic and its summaries out of its outlet topic, with the
 * bookkeeping to check that each sensor's running count went up by exactly one per reading: nothing
 * lost, nothing counted twice, state carried over restarts and upgrades.
 */
final class SensorTraffic implements AutoCloseable {

  private final int sensors;
  private final String inTopic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> summaries;
  private final AvroCodec<SensorReading> readingCodec = new AvroCodec<>(SensorReading.class);
  private final AvroCodec<SensorSummary> summaryCodec = new AvroCodec<>(SensorSummary.class);
  private final Map<String, Integer> sent = new TreeMap<>();
  private final Map<String, List<Long>> received = new TreeMap<>();

  SensorTraffic(String bootstrapServers, String inTopic, String outTopic, int sensors, String group) {
    this.sensors = sensors;
    this.inTopic = inTopic;
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    summaries = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    summaries.subscribe(List.of(outTopic));
  }

  /** Sends {@code count} readings round-robin over the sensors. */
  void send(int count) {
    int offset = sent.values().stream().mapToInt(Integer::intValue).sum();
    for (int i = offset; i < offset + count; i++) {
      String sensorId = "sensor-" + (i % sensors);
      double value = 10.0 + (i * 7 % 23);
      sent.merge(sensorId, 1, Integer::sum);
      producer.send(new ProducerRecord<>(inTopic, sensorId.getBytes(StandardCharsets.UTF_8),
          readingCodec.encode(new SensorReading(sensorId, System.currentTimeMillis(), value))));
    }
    producer.flush();
  }

  /** Polls summaries until every sensor's latest count is the number of readings sent for it, and a little longer. */
  void awaitCaughtUp(Duration timeout, Supplier<String> diagnostics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!caughtUp() && System.nanoTime() < deadline) {
      poll(Duration.ofMillis(500));
    }
    // a little longer, to catch extra records
    long extra = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < extra) {
      poll(Duration.ofMillis(200));
    }
    if (!caughtUp()) {
      fail("summaries did not catch up within " + timeout + ": sent " + sent + ", counts received " + received
          + "\n" + diagnostics.get());
    }
  }

  /** Each sensor's summaries counted 1, 2, ... up to its readings: none lost, none twice, none from 1 again. */
  void assertExactlyOneSummaryPerReading() {
    assertThat(received.keySet()).isEqualTo(sent.keySet());
    received.forEach((sensor, counts) -> {
      List<Long> expected = new ArrayList<>();
      for (long i = 1; i <= sent.get(sensor); i++) {
        expected.add(i);
      }
      assertThat(counts).as("counts summarized for %s", sensor).containsExactlyElementsOf(expected);
    });
  }

  /** Readings sent so far, by sensor. */
  Map<String, Integer> sent() {
    return sent;
  }

  /** The counts of the summaries received so far, by sensor, in order. */
  Map<String, List<Long>> received() {
    return received;
  }

  private void poll(Duration timeout) {
    summaries.poll(timeout).forEach(record -> {
      SensorSummary summary = summaryCodec.decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).as("record key").isEqualTo(summary.getSensorId());
      received.computeIfAbsent(summary.getSensorId(), k -> new ArrayList<>()).add(summary.getCount());
    });
  }

  private boolean caughtUp() {
    return sent.entrySet().stream().allMatch(e -> {
      List<Long> counts = received.get(e.getKey());
      return counts != null && !counts.isEmpty() && counts.get(counts.size() - 1) == e.getValue().longValue();
    });
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    summaries.close(Duration.ofSeconds(5));
  }
}
