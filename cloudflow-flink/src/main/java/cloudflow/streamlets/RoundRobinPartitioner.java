package cloudflow.streamlets;

/**
 * The partitioner of an outlet created without one: it returns no key, so Kafka spreads records over
 * all partitions.
 */
public final class RoundRobinPartitioner {

  private RoundRobinPartitioner() {}

  /** Returns the key function that yields {@code null} for every record. */
  @SuppressWarnings("unchecked")
  public static <T> KeyFunction<T> getInstance() {
    return (KeyFunction<T>) NO_KEY;
  }

  private static final KeyFunction<Object> NO_KEY = record -> null;
}
