package cloudflow.flink.kafka;

import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.plan.BadRecordHandling;
import cloudflow.streamlets.Codec;
import cloudflow.streamlets.DecodeException;
import cloudflow.streamlets.InletErrorHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the value of each Kafka record of an inlet's topic with the inlet's codec. A record it
 * cannot decode goes first to the inlet's {@link InletErrorHandler}, if it has one: a replacement the
 * handler returns is passed on in its place. Without a handler, or when it returns none, the inlet's
 * {@link BadRecordHandling} decides: fail the job, skip, or write the raw bytes to a dead-letter
 * topic. Every bad record, replaced or not, is counted in the {@code badRecords} metric of the source
 * operator (a failing one just before the job fails).
 */
final class CodecRecordDeserializer<T> implements KafkaRecordDeserializationSchema<T> {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(CodecRecordDeserializer.class);

  /** Name of the counter of bad records in the source operator's metric group. */
  static final String BAD_RECORDS_METRIC = "badRecords";

  private final String topic;
  private final Codec<T> codec;
  private final Class<T> recordClass;
  private final InletErrorHandler<T> errorHandler;
  private final BadRecordHandling badRecords;
  private final Map<String, String> producerProperties;
  private final String bootstrapServers;

  /**
   * Dead-letter producers, one per distinct client configuration in this JVM. The deserializer has no
   * close hook, so a producer per instance would leak on every job restart; a shared one is bounded.
   */
  private static final Map<Map<String, String>, KafkaProducer<byte[], byte[]>> DEAD_LETTER_PRODUCERS =
      new ConcurrentHashMap<>();

  private transient Counter badRecordCount;

  /**
   * Creates the deserializer of one inlet.
   *
   * @param topic the inlet's topic, named in the source's metrics
   * @param errorHandler the inlet's handler of undecodable records, or {@code null} for none
   */
  CodecRecordDeserializer(
      String topic,
      Codec<T> codec,
      Class<T> recordClass,
      InletErrorHandler<T> errorHandler,
      BadRecordHandling badRecords,
      KafkaSettings kafka) {
    this.topic = topic;
    this.codec = codec;
    this.recordClass = recordClass;
    this.errorHandler = errorHandler;
    this.badRecords = badRecords;
    this.producerProperties = kafka.producerProperties();
    this.bootstrapServers = kafka.bootstrapServers();
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    badRecordCount = context.getMetricGroup().counter(BAD_RECORDS_METRIC);
    PortMetrics.nameTopic(context.getMetricGroup(), topic);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) throws IOException {
    T value;
    try {
      if (record.value() == null) {
        throw new DecodeException("record has no value", null);
      }
      value = codec.decode(record.value());
    } catch (DecodeException e) {
      if (badRecordCount != null) {
        badRecordCount.inc();
      }
      Optional<T> replacement = replacementFor(record, e);
      if (replacement.isPresent()) {
        out.collect(replacement.get());
      } else {
        handleBadRecord(record, e);
      }
      return;
    }
    out.collect(value);
  }

  /** What the inlet's error handler offers in place of the record; empty without a handler. */
  private Optional<T> replacementFor(ConsumerRecord<byte[], byte[]> record, DecodeException e) {
    if (errorHandler == null) {
      return Optional.empty();
    }
    byte[] bytes = record.value() == null ? new byte[0] : record.value();
    Optional<T> replacement = errorHandler.handle(bytes, e);
    if (replacement == null) {
      throw new IllegalStateException("The error handler of the inlet reading " + record.topic()
          + " returned null; return Optional.empty() to leave the record to the bad-records policy");
    }
    if (replacement.isPresent()) {
      log.warn("Replaced bad record at {}-{}@{} with the inlet's error handler's record: {}",
          record.topic(), record.partition(), record.offset(), e.getMessage());
    }
    return replacement;
  }

  private void handleBadRecord(ConsumerRecord<byte[], byte[]> record, DecodeException e) throws IOException {
    String where = record.topic() + "-" + record.partition() + "@" + record.offset();
    if (badRecords.policy() == BadRecordHandling.Policy.FAIL) {
      throw new DecodeException("Bad record at " + where + " (bad-records policy: fail): " + e.getMessage(), e);
    }
    if (badRecords.policy() == BadRecordHandling.Policy.SKIP) {
      log.warn("Skipped bad record at {}: {}", where, e.getMessage());
      return;
    }
    ProducerRecord<byte[], byte[]> dead =
        new ProducerRecord<>(badRecords.deadLetterTopic(), null, record.key(), record.value());
    dead.headers()
        .add("cloudflow.error", bytes(e.getMessage()))
        .add("cloudflow.source.topic", bytes(record.topic()))
        .add("cloudflow.source.partition", bytes(String.valueOf(record.partition())))
        .add("cloudflow.source.offset", bytes(String.valueOf(record.offset())));
    try {
      // synchronous: the bad record is in the dead-letter topic before its offset can be committed
      deadLetters().send(dead).get();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while dead-lettering the record at " + where, ie);
    } catch (ExecutionException ee) {
      throw new IOException("Cannot write the bad record at " + where + " to " + badRecords.deadLetterTopic(), ee);
    }
    log.warn("Dead-lettered bad record at {} to {}: {}", where, badRecords.deadLetterTopic(), e.getMessage());
  }

  private KafkaProducer<byte[], byte[]> deadLetters() {
    Map<String, String> config = new HashMap<>(producerProperties);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return DEAD_LETTER_PRODUCERS.computeIfAbsent(config, c -> {
      Properties properties = new Properties();
      properties.putAll(c);
      return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    });
  }

  private static byte[] bytes(String text) {
    return String.valueOf(text).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return FlinkStreamletContext.typeInfoOf(recordClass);
  }
}
