package cloudflow.streamlets;

/**
 * An inlet whose records of type {@code T} are decoded from bytes by a {@link Codec}.
 *
 * @param <T> the record type
 */
public interface CodecInlet<T> extends Inlet {

  /** The class of the records read from this inlet. */
  Class<T> recordClass();

  /** Decodes the bytes found on the inlet's topic. */
  Codec<T> codec();
}
