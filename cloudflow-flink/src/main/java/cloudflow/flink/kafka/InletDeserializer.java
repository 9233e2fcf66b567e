package cloudflow.flink.kafka;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.DecodeException;
import cloudflow.streamlets.InletErrorHandler;
import java.io.IOException;
import java.util.Optional;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the value of each Kafka record of an inlet's topic with the inlet's codec. A record it
 * cannot decode goes first to the inlet's {@link InletErrorHandler}, if it has one: a replacement the
 * handler returns is passed on in its place. Without a handler, or when it returns none, the
 * subclass applies the inlet's bad-records policy. Every bad record, replaced or not, is counted in
 * the {@code badRecords} metric of the source operator (a failing one just before the job fails).
 *
 * @param <T> the inlet's record type
 * @param <O> what the source emits
 */
abstract class InletDeserializer<T, O> implements KafkaRecordDeserializationSchema<O> {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(InletDeserializer.class);

  /** Name of the counter of bad records in the source operator's metric group. */
  static final String BAD_RECORDS_METRIC = "badRecords";

  private final String port;
  private final String topic;
  private final Codec<T> codec;
  private final InletErrorHandler<T> errorHandler;

  private transient Counter badRecordCount;

  /**
   * @param port the inlet's name, named in the source's metrics
   * @param topic the inlet's topic, named in the source's metrics
   * @param errorHandler the inlet's handler of undecodable records, or {@code null} for none
   */
  InletDeserializer(String port, String topic, Codec<T> codec, InletErrorHandler<T> errorHandler) {
    this.port = port;
    this.topic = topic;
    this.codec = codec;
    this.errorHandler = errorHandler;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    badRecordCount = context.getMetricGroup().counter(BAD_RECORDS_METRIC);
    PortMetrics.name(context.getMetricGroup(), true, port, topic);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<O> out) throws IOException {
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
        emit(replacement.get(), out);
      } else {
        onBadRecord(record, e, out);
      }
      return;
    }
    emit(value, out);
  }

  /** Passes on a decoded (or replacement) record. */
  abstract void emit(T value, Collector<O> out);

  /** Applies the bad-records policy to a record that was neither decoded nor replaced. */
  abstract void onBadRecord(ConsumerRecord<byte[], byte[]> record, DecodeException e, Collector<O> out)
      throws IOException;

  /** Why a record could not be decoded, for logs and dead-letter headers: never {@code "null"}. */
  static String reasonOf(Throwable e) {
    return DecodeException.reasonOf(e);
  }

  /** Where a record was read, as {@code topic-partition@offset}. */
  static String where(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
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
      log.warn("Replaced bad record at {} with the inlet's error handler's record: {}", where(record), reasonOf(e));
    }
    return replacement;
  }
}
