package cloudflow.flink.kafka;

import cloudflow.flink.FlinkStreamletContext;
import cloudflow.streamlets.Codec;
import cloudflow.streamlets.DecodeException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Decodes the value of each Kafka record of an inlet's topic with the inlet's codec. */
final class CodecRecordDeserializer<T> implements KafkaRecordDeserializationSchema<T> {

  private static final long serialVersionUID = 1L;

  private final Codec<T> codec;
  private final Class<T> recordClass;

  CodecRecordDeserializer(Codec<T> codec, Class<T> recordClass) {
    this.codec = codec;
    this.recordClass = recordClass;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
    if (record.value() == null) {
      throw new DecodeException(
          "Record without value at " + record.topic() + "-" + record.partition() + "@" + record.offset(), null);
    }
    try {
      out.collect(codec.decode(record.value()));
    } catch (DecodeException e) {
      throw new DecodeException(
          "Bad record at " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return FlinkStreamletContext.typeInfoOf(recordClass);
  }
}
