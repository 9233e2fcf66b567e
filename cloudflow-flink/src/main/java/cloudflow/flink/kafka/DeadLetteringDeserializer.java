package cloudflow.flink.kafka;

import cloudflow.flink.FlinkStreamletContext;
import cloudflow.streamlets.Codec;
import cloudflow.streamlets.DecodeException;
import cloudflow.streamlets.InletErrorHandler;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The deserializer of an inlet with the dead-letter policy: it emits each decoded (or replaced)
 * record as {@link Either#Left} and each bad record as a {@link DeadLetter} on the right, for
 * {@link DeadLetterSplit} to route to the dead-letter sink. Nothing is written from here: the
 * source's reader thread never waits for Kafka, and the dead letters go through a sink that follows
 * the streamlet's delivery guarantee.
 */
final class DeadLetteringDeserializer<T> extends InletDeserializer<T, Either<T, DeadLetter>> {

  private static final long serialVersionUID = 1L;

  private final Class<T> recordClass;

  /**
   * Creates the deserializer of one inlet.
   *
   * @param port the inlet's name and
   * @param topic its topic, both named in the source's metrics
   * @param errorHandler the inlet's handler of undecodable records, or {@code null} for none
   */
  DeadLetteringDeserializer(
      String port, String topic, Codec<T> codec, Class<T> recordClass, InletErrorHandler<T> errorHandler) {
    super(port, topic, codec, errorHandler);
    this.recordClass = recordClass;
  }

  @Override
  void emit(T value, Collector<Either<T, DeadLetter>> out) {
    out.collect(Either.Left(value));
  }

  @Override
  void onBadRecord(ConsumerRecord<byte[], byte[]> record, DecodeException e, Collector<Either<T, DeadLetter>> out) {
    out.collect(Either.Right(new DeadLetter(
        record.key(), record.value(), record.topic(), record.partition(), record.offset(), reasonOf(e))));
  }

  @Override
  public TypeInformation<Either<T, DeadLetter>> getProducedType() {
    return typeOf(recordClass);
  }

  /** The type of what a dead-lettering source emits: the Either serializer delegates to both sides' own. */
  static <T> TypeInformation<Either<T, DeadLetter>> typeOf(Class<T> recordClass) {
    return new EitherTypeInfo<>(FlinkStreamletContext.typeInfoOf(recordClass), DeadLetter.TYPE);
  }
}
