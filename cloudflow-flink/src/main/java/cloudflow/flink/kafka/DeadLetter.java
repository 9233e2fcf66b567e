package cloudflow.flink.kafka;

import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A record an inlet could not decode, on its way from the inlet's source to the dead-letter topic:
 * its raw key and value, where it was read, and why it was rejected.
 *
 * @param key the record's key bytes, or {@code null}
 * @param value the record's value bytes, or {@code null} for a record without value
 * @param topic the topic it was read from
 * @param partition the partition it was read from
 * @param offset its offset in that partition
 * @param reason why it could not be decoded (never {@code null})
 */
public record DeadLetter(byte[] key, byte[] value, String topic, int partition, long offset, String reason)
    implements Serializable {

  /** Flink's type of dead letters: a POJO type (Flink serializes records field by field), not Kryo. */
  public static final TypeInformation<DeadLetter> TYPE = TypeInformation.of(DeadLetter.class);
}
