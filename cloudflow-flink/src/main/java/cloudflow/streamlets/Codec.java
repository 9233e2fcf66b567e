package cloudflow.streamlets;

import java.io.Serializable;

/**
 * Turns records into bytes and back. Codecs are shipped to Flink task managers, so they are
 * {@link Serializable} and hold no heavy state until first used.
 *
 * @param <T> the record type
 */
public interface Codec<T> extends Serializable {

  /** Encodes one record. */
  byte[] encode(T value);

  /**
   * Decodes one record.
   *
   * @throws DecodeException when the bytes are not a valid encoding of {@code T}
   */
  T decode(byte[] bytes);

  /**
   * Whether every {@link #decode} returns a new object that the codec keeps no reference to, as the
   * starter's codecs do. The Kafka runtime then passes a decoded record to the one operator after the
   * inlet's source without Flink's defensive copy (a deep copy per record unless object reuse is on),
   * because no one else can see the record. Leave it {@code false} for a codec that caches or reuses
   * what it returns.
   */
  default boolean decodesNewObjects() {
    return false;
  }
}
