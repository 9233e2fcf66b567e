package cloudflow.flink.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a bad record to the dead-letter topic: its key and value bytes as read, with headers saying
 * why ({@code cloudflow.error}) and where it came from ({@code cloudflow.source.topic},
 * {@code .partition}, {@code .offset}).
 */
final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter>, KafkaDatasetFacetProvider {

  private static final long serialVersionUID = 1L;

  /** Header with the reason the record could not be decoded. */
  static final String ERROR_HEADER = "cloudflow.error";

  /** Prefix of the headers naming where the record was read. */
  static final String SOURCE_HEADER_PREFIX = "cloudflow.source.";

  private final String topic;

  DeadLetterSerializer(String topic) {
    this.topic = topic;
  }

  /** The one topic this writes to: the pooled transactions of exactly-once sinks need it. */
  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(DeadLetter bad, KafkaSinkContext context, Long timestamp) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, bad.key(), bad.value());
    record.headers()
        .add(ERROR_HEADER, bytes(bad.reason()))
        .add(SOURCE_HEADER_PREFIX + "topic", bytes(bad.topic()))
        .add(SOURCE_HEADER_PREFIX + "partition", bytes(String.valueOf(bad.partition())))
        .add(SOURCE_HEADER_PREFIX + "offset", bytes(String.valueOf(bad.offset())));
    return record;
  }

  private static byte[] bytes(String text) {
    return String.valueOf(text).getBytes(StandardCharsets.UTF_8);
  }
}
