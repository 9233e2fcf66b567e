package cloudflow.flink.benchmarks;

import cloudflow.flink.benchmarks.data.BenchRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The benchmark's records and the Kafka clients of the orchestrator. */
final class Records {

  static final int KEYS = 1000;

  private final SpecificDatumWriter<BenchRecord> writer = new SpecificDatumWriter<>(BenchRecord.class);
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
  private BinaryEncoder encoder;

  static BenchRecord record(long id, long sentAtNanos) {
    return BenchRecord.newBuilder()
        .setId(id)
        .setKey("k" + (id % KEYS))
        .setSentAtNanos(sentAtNanos)
        .setValue(id * 0.25)
        .setCount((int) (id % 100))
        .setTag("bench")
        .build();
  }

  static byte[] key(long id) {
    return ("k" + (id % KEYS)).getBytes(StandardCharsets.UTF_8);
  }

  byte[] encode(BenchRecord record) {
    buffer.reset();
    encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  /** The id of an encoded record: its first field, a zig-zag varint, read without decoding the rest. */
  static long idOf(byte[] value) {
    long raw = 0;
    int shift = 0;
    int i = 0;
    int b;
    do {
      b = value[i++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Writes records 0..n-1 to {@code topic} as fast as the broker takes them. */
  static void preload(String bootstrap, String topic, long n) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.ACKS_CONFIG, "1");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(64L * 1024 * 1024));
    AtomicReference<Exception> failure = new AtomicReference<>();
    Records records = new Records();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long id = 0; id < n && failure.get() == null; id++) {
        producer.send(new ProducerRecord<>(topic, key(id), records.encode(record(id, 0))), (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          }
        });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("Preloading " + topic + " failed", failure.get());
    }
  }

  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, Map<String, String> extra) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    properties.putAll(extra);
    return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    return partitions;
  }
}
