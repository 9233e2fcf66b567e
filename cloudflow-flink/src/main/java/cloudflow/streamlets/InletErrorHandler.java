package cloudflow.streamlets;

import java.io.Serializable;
import java.util.Optional;

/**
 * What an inlet does with bytes its codec cannot decode, as in Cloudflow's
 * {@code AvroInlet.create(name, class, hasUniqueGroupId, errorHandler)}: return a replacement record
 * to pass on instead, or empty to leave the record to the inlet's bad-record policy
 * ({@code cloudflow.streamlets.<ref>.ports.<inlet>.bad-records}: skip by default, fail or dead-letter).
 * Either way the record counts in the {@code badRecords} metric.
 *
 * <p>It runs in the Kafka source on Flink's task managers, so it must be serializable: a lambda or
 * a static method reference. An exception it throws fails the job.
 *
 * @param <T> the inlet's record type
 */
@FunctionalInterface
public interface InletErrorHandler<T> extends Serializable {

  /**
   * Handles one record that could not be decoded.
   *
   * @param bytes the record's value as read from Kafka (empty for a record without a value)
   * @param cause why it could not be decoded
   * @return a record to use in its place, or empty to apply the inlet's bad-record policy
   */
  Optional<T> handle(byte[] bytes, Throwable cause);
}
