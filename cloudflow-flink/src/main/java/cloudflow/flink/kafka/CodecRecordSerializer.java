package cloudflow.flink.kafka;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.KeyFunction;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Encodes each record for an outlet's topic: the value with the outlet's codec, the key with its
 * partitioning function (UTF-8, or no key).
 */
final class CodecRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

  private static final long serialVersionUID = 1L;

  private final String topic;
  private final Codec<T> codec;
  private final KeyFunction<T> partitioner;

  CodecRecordSerializer(String topic, Codec<T> codec, KeyFunction<T> partitioner) {
    this.topic = topic;
    this.codec = codec;
    this.partitioner = partitioner;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
    String key = partitioner.apply(element);
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, null, timestamp, keyBytes, codec.encode(element));
  }
}
