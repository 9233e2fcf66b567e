package cloudflow.flink.kafka;

import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.plan.BadRecordHandling;
import cloudflow.streamlets.Codec;
import cloudflow.streamlets.DecodeException;
import cloudflow.streamlets.InletErrorHandler;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deserializer of an inlet whose bad records are skipped or fail the job: it emits the inlet's
 * records themselves. (Dead-lettering inlets use {@link DeadLetteringDeserializer}.)
 */
final class CodecRecordDeserializer<T> extends InletDeserializer<T, T> {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(CodecRecordDeserializer.class);

  private final Class<T> recordClass;
  private final BadRecordHandling.Policy policy;

  /**
   * Creates the deserializer of one inlet.
   *
   * @param port the inlet's name and
   * @param topic its topic, both named in the source's metrics
   * @param errorHandler the inlet's handler of undecodable records, or {@code null} for none
   * @param badRecords skip or fail
   */
  CodecRecordDeserializer(
      String port,
      String topic,
      Codec<T> codec,
      Class<T> recordClass,
      InletErrorHandler<T> errorHandler,
      BadRecordHandling badRecords) {
    super(port, topic, codec, errorHandler);
    if (badRecords.policy() == BadRecordHandling.Policy.DEAD_LETTER) {
      throw new IllegalArgumentException("Dead-lettering inlets need a DeadLetteringDeserializer");
    }
    this.recordClass = recordClass;
    this.policy = badRecords.policy();
  }

  @Override
  void emit(T value, Collector<T> out) {
    out.collect(value);
  }

  @Override
  void onBadRecord(ConsumerRecord<byte[], byte[]> record, DecodeException e, Collector<T> out) {
    if (policy == BadRecordHandling.Policy.FAIL) {
      throw new DecodeException("Bad record at " + where(record) + " (bad-records policy: fail): " + reasonOf(e), e);
    }
    log.warn("Skipped bad record at {}: {}", where(record), reasonOf(e));
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return FlinkStreamletContext.typeInfoOf(recordClass);
  }
}
