package cloudflow.flink.testkit;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.CodecOutlet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * Receives what the streamlet under test writes to an outlet, instead of a Kafka topic. Created by
 * {@link FlinkTestkit#outletAsTap}; read after {@link FlinkTestkit#run} has returned.
 *
 * <p>Records are decoded with the outlet's codec, as a consumer of the topic would decode them, and
 * come in the order they reached the outlet; with the testkit's default parallelism of 1 that order
 * is deterministic. Each run the tap takes part in replaces its records, so a tap belongs to one run
 * at a time.
 *
 * @param <T> the outlet's record type
 */
public final class FlinkOutletTap<T> {

  private final CodecOutlet<T> outlet;
  private volatile List<KeyedRecord<T>> results;

  FlinkOutletTap(CodecOutlet<T> outlet) {
    this.outlet = Objects.requireNonNull(outlet, "outlet");
  }

  /** The tapped outlet. */
  public CodecOutlet<T> outlet() {
    return outlet;
  }

  /** The name of the tapped outlet. */
  public String portName() {
    return outlet.name();
  }

  /**
   * The records written to the outlet in the last run, in arrival order.
   *
   * @throws IllegalStateException when no run with this tap has completed
   */
  public List<T> records() {
    return keyedRecords().stream().map(KeyedRecord::record).toList();
  }

  /**
   * The records written to the outlet in the last run with the keys the outlet's partitioner
   * produced, in arrival order.
   *
   * @throws IllegalStateException when no run with this tap has completed
   */
  public List<KeyedRecord<T>> keyedRecords() {
    List<KeyedRecord<T>> current = results;
    if (current == null) {
      throw new IllegalStateException(
          "Outlet tap '" + portName() + "' has no records: pass it to FlinkTestkit.run(...) and let the run complete first");
    }
    return current;
  }

  /**
   * The records of the last run grouped by key, keys in order of first appearance and records in
   * arrival order within each key (the order Kafka keeps per partition). Round-robin records are
   * under the {@code null} key.
   *
   * @throws IllegalStateException when no run with this tap has completed
   */
  public Map<String, List<T>> recordsByKey() {
    Map<String, List<T>> byKey = new LinkedHashMap<>();
    for (KeyedRecord<T> keyed : keyedRecords()) {
      byKey.computeIfAbsent(keyed.key(), k -> new ArrayList<>()).add(keyed.record());
    }
    byKey.replaceAll((key, records) -> List.copyOf(records));
    return Collections.unmodifiableMap(byKey);
  }

  /** Forgets the records of an earlier run, so that a failed run leaves none behind. */
  void reset() {
    results = null;
  }

  /** Decodes what the job collected for this outlet and makes it the tap's records. */
  void deliver(List<Tuple2<String, byte[]>> encoded) {
    Codec<T> codec = outlet.codec();
    List<KeyedRecord<T>> decoded = new ArrayList<>(encoded.size());
    for (Tuple2<String, byte[]> record : encoded) {
      decoded.add(new KeyedRecord<>(record.f0, codec.decode(record.f1)));
    }
    results = Collections.unmodifiableList(decoded);
  }

  @Override
  public String toString() {
    return "FlinkOutletTap(" + portName() + ")";
  }
}
