package cloudflow.flink.spring.test.app;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** The embedded brokers test classes saw, by identity: one while they share their context. */
final class SharedContexts {

  private static final Set<Object> BROKERS = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  private SharedContexts() {}

  /** Records the broker a test class got and returns all brokers recorded so far. */
  static Set<Object> record(Object broker) {
    BROKERS.add(broker);
    return Set.copyOf(BROKERS);
  }
}
