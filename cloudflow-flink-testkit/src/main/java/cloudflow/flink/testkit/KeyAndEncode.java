package cloudflow.flink.testkit;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.KeyFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * Turns each record written to an outlet into what the Kafka runtime would write: the key from the
 * outlet's partitioner and the value encoded with its codec. Running both inside the job means a
 * partitioner or codec that fails (or is not serializable) fails in the test as it would on Kafka.
 */
final class KeyAndEncode<T> implements MapFunction<T, Tuple2<String, byte[]>> {

  private static final long serialVersionUID = 1L;

  private final KeyFunction<T> partitioner;
  private final Codec<T> codec;

  KeyAndEncode(KeyFunction<T> partitioner, Codec<T> codec) {
    this.partitioner = partitioner;
    this.codec = codec;
  }

  @Override
  public Tuple2<String, byte[]> map(T record) {
    return Tuple2.of(partitioner.apply(record), codec.encode(record));
  }
}
