package cloudflow.flink.kafka;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.KeyFunction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Encodes each record for an outlet's topic: the value with the outlet's codec, the key with its
 * partitioning function (UTF-8, or no key).
 */
final class CodecRecordSerializer<T> implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {

  private static final long serialVersionUID = 1L;

  private final String port;
  private final String topic;
  private final Codec<T> codec;
  private final KeyFunction<T> partitioner;
  /**
   * Whether the port's metrics are registered: flink-connector-kafka's exactly-once writer opens its
   * serializer twice (its own constructor and its parent's), and a second registration only logs a
   * name collision.
   */
  private transient boolean opened;

  CodecRecordSerializer(String port, String topic, Codec<T> codec, KeyFunction<T> partitioner) {
    this.port = port;
    this.topic = topic;
    this.codec = codec;
    this.partitioner = partitioner;
  }

  /** The one topic this writes to: Flink's lineage, and the pooled transactions of exactly-once sinks need it. */
  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
    if (!opened) {
      PortMetrics.name(context.getMetricGroup(), false, port, topic);
      opened = true;
    }
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
    String key = partitioner.apply(element);
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, null, timestamp, keyBytes, codec.encode(element));
  }
}
