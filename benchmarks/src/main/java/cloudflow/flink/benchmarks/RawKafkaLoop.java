package cloudflow.flink.benchmarks;

import cloudflow.flink.benchmarks.data.BenchRecord;
import cloudflow.streamlets.avro.AvroCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline without Flink: per worker thread (as many as the parallelism) a {@link KafkaConsumer}
 * assigned its share of the input partitions (no group rebalancing, like Flink's KafkaSource), each
 * record decoded to a {@link BenchRecord}, encoded again and sent by the worker's own
 * {@link KafkaProducer} with the same key and timestamp. Offsets are auto-committed. Kafka client
 * defaults everywhere, plus the contender's {@code consumer.*}/{@code producer.*} settings. Avro's own
 * {@link SpecificDatumReader}/{@link SpecificDatumWriter} into a {@link ByteArrayOutputStream}, as a
 * hand-written application would, unless {@code raw.codec=starter} asks for the starter's {@link AvroCodec}.
 */
final class RawKafkaLoop {

  /** The setting that picks the loop's Avro code: Avro's own reader and writer (default), or {@link #STARTER_CODEC}. */
  static final String CODEC_SETTING = "raw.codec";

  /** {@link #CODEC_SETTING}'s value for the starter's {@link AvroCodec}, to tell the codec's share from the framework's. */
  static final String STARTER_CODEC = "starter";

  private RawKafkaLoop() {}

  static CompletableFuture<Void> start(ContenderConfig config, Consumer<Throwable> onError) {
    Properties consumerProperties = new Properties();
    consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + config.runId());
    consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProperties.putAll(config.withPrefix("consumer."));
    Properties producerProperties = new Properties();
    producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    producerProperties.putAll(config.withPrefix("producer."));

    List<TopicPartition> partitions = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> probe =
        new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (PartitionInfo info : probe.partitionsFor(config.inputTopic(), Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
    }
    int workers = Math.min(config.parallelism(), partitions.size());
    for (int i = 0; i < workers; i++) {
      List<TopicPartition> share = new ArrayList<>();
      for (int p = i; p < partitions.size(); p += workers) {
        share.add(partitions.get(p));
      }
      KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      consumer.assign(share);
      KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
      Thread worker = new Thread(() -> {
        try {
          loop(consumer, producer, config.outputTopic(), STARTER_CODEC.equals(config.settings().get(CODEC_SETTING)));
        } catch (Throwable e) {
          onError.accept(e);
        }
      }, "raw-loop-" + i);
      worker.setDaemon(true);
      worker.start();
    }
    return CompletableFuture.completedFuture(null);
  }

  private static void loop(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer, String topic,
      boolean starterCodec) throws IOException {
    if (starterCodec) {
      loopWithStarterCodec(consumer, producer, topic);
      return;
    }
    SpecificDatumReader<BenchRecord> reader = new SpecificDatumReader<>(BenchRecord.class);
    SpecificDatumWriter<BenchRecord> writer = new SpecificDatumWriter<>(BenchRecord.class);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    BinaryDecoder decoder = null;
    BinaryEncoder encoder = null;
    AtomicReference<Exception> sendError = new AtomicReference<>();
    while (true) {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
      for (ConsumerRecord<byte[], byte[]> record : records) {
        decoder = DecoderFactory.get().binaryDecoder(record.value(), decoder);
        BenchRecord value = reader.read(null, decoder);
        buffer.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        writer.write(value, encoder);
        encoder.flush();
        byte[] key = value.getKey().getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, null, record.timestamp(), key, buffer.toByteArray()),
            (metadata, error) -> {
              if (error != null) {
                sendError.compareAndSet(null, error);
              }
            });
      }
      if (sendError.get() != null) {
        throw new IOException("A send failed", sendError.get());
      }
    }
  }

  /** The same loop with the starter's {@link AvroCodec} for decoding and encoding. */
  private static void loopWithStarterCodec(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
      String topic) throws IOException {
    AvroCodec<BenchRecord> codec = new AvroCodec<>(BenchRecord.class);
    AtomicReference<Exception> sendError = new AtomicReference<>();
    while (true) {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
      for (ConsumerRecord<byte[], byte[]> record : records) {
        BenchRecord value = codec.decode(record.value());
        byte[] key = value.getKey().getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, null, record.timestamp(), key, codec.encode(value)),
            (metadata, error) -> {
              if (error != null) {
                sendError.compareAndSet(null, error);
              }
            });
      }
      if (sendError.get() != null) {
        throw new IOException("A send failed", sendError.get());
      }
    }
  }
}
