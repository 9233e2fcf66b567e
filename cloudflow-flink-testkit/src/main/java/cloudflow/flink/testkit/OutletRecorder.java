package cloudflow.flink.testkit;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.KeyFunction;
import java.util.ArrayList;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * Does to each record written to an outlet what the Kafka runtime does: computes the key with the
 * outlet's partitioner and encodes the value with its codec, so a partitioner or codec that fails
 * (or does not serialize) fails in the test too. For a tapped outlet it adds the result to a list
 * accumulator, which reaches the testkit with the job's result: nothing is shared between runs.
 */
final class OutletRecorder<T> extends RichMapFunction<T, T> {

  private static final long serialVersionUID = 1L;

  private final KeyFunction<T> partitioner;
  private final Codec<T> codec;
  private final String accumulatorName;
  private transient ListAccumulator<Tuple2<String, byte[]>> records;

  /**
   * Creates a recorder.
   *
   * @param accumulatorName where to add the keyed, encoded records, or {@code null} to drop them
   */
  OutletRecorder(KeyFunction<T> partitioner, Codec<T> codec, String accumulatorName) {
    this.partitioner = partitioner;
    this.codec = codec;
    this.accumulatorName = accumulatorName;
  }

  /** The accumulator that holds what was written to {@code outlet}. */
  static String accumulatorName(String outlet) {
    return "cloudflow-testkit:outlet:" + outlet;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void open(OpenContext openContext) {
    if (accumulatorName == null) {
      return;
    }
    // An outlet written twice may put two recorders into one task, which share its accumulators.
    Accumulator<Tuple2<String, byte[]>, ArrayList<Tuple2<String, byte[]>>> existing =
        getRuntimeContext().getAccumulator(accumulatorName);
    if (existing == null) {
      records = new ListAccumulator<>();
      getRuntimeContext().addAccumulator(accumulatorName, records);
    } else {
      records = (ListAccumulator<Tuple2<String, byte[]>>) existing;
    }
  }

  @Override
  public T map(T record) {
    String key = partitioner.apply(record);
    byte[] value = codec.encode(record);
    if (records != null) {
      records.add(Tuple2.of(key, value));
    }
    return record;
  }
}
