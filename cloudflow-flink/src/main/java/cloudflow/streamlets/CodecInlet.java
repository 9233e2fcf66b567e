package cloudflow.streamlets;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /** The schema of the records as text (for Avro, the JSON schema); Cloudflow's accessor. */
  default String schemaAsString() {
    return schemaDefinition().schema();
  }

  /** Whether each running instance reads all records with a consumer group of its own. */
  default boolean hasUniqueGroupId() {
    return false;
  }

  /**
   * The handler of records the codec cannot decode, if one was given. Without one, or when it
   * returns no replacement, the inlet's configured bad-record policy applies.
   */
  default Optional<InletErrorHandler<T>> errorHandler() {
    return Optional.empty();
  }

  /**
   * Cloudflow's default error handler: logs the decoding error and returns no replacement, after
   * which the inlet's bad-record policy applies (skip, unless configured otherwise). Usable as
   * {@code CodecInlet::logAndSkip}.
   */
  static <T> Optional<T> logAndSkip(byte[] bytes, Throwable cause) {
    LogHolder.LOG.error("Data decoding error; no replacement record, so the inlet's bad-record policy applies", cause);
    return Optional.empty();
  }
}

/** Keeps the logger out of the interface's public constants. */
final class LogHolder {
  static final Logger LOG = LoggerFactory.getLogger(CodecInlet.class);

  private LogHolder() {}
}
