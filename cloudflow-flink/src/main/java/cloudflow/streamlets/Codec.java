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
}
