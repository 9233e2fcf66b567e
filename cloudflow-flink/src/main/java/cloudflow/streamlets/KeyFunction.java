package cloudflow.streamlets;

import java.io.Serializable;
import java.util.function.Function;

/**
 * Computes the key of a record written to an outlet; the key decides the Kafka partition.
 *
 * <p>It runs on Flink task managers, so it must be serializable: a lambda or a static method
 * reference over the record's fields is the usual choice.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface KeyFunction<T> extends Function<T, String>, Serializable {}
