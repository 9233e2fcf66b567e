package cloudflow.flink.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks before an exactly-once job starts that its producers' {@code transaction.timeout.ms} is
 * allowed by the broker ({@code transaction.max.timeout.ms}); otherwise every transaction would be
 * refused at runtime, after the job looked healthy.
 */
public final class TransactionTimeoutCheck {

  private static final Logger log = LoggerFactory.getLogger(TransactionTimeoutCheck.class);
  private static final Map<String, Long> BROKER_MAXIMUM = new ConcurrentHashMap<>();

  private TransactionTimeoutCheck() {}

  /** The transaction timeout exactly-once sinks use with these settings, in milliseconds. */
  public static long transactionTimeoutMs(KafkaSettings kafka) {
    return Long.parseLong(kafka.producerProperties()
        .getOrDefault("transaction.timeout.ms", KafkaStreamletContext.DEFAULT_TRANSACTION_TIMEOUT_MS));
  }

  /**
   * Checks the timeout against the broker. A broker that cannot be asked (unreachable, no
   * permission) is logged and not held against the job.
   *
   * @throws IllegalArgumentException when the timeout is above the broker's maximum
   */
  public static void check(KafkaSettings kafka) {
    long timeout = transactionTimeoutMs(kafka);
    Long maximum = BROKER_MAXIMUM.computeIfAbsent(kafka.bootstrapServers(), servers -> brokerMaximum(kafka));
    if (maximum != null && maximum > 0 && timeout > maximum) {
      BROKER_MAXIMUM.remove(kafka.bootstrapServers());
      throw new IllegalArgumentException("Exactly-once needs the producer setting transaction.timeout.ms (" + timeout
          + " ms) to be at most the broker's transaction.max.timeout.ms (" + maximum + " ms)");
    }
  }

  private static Long brokerMaximum(KafkaSettings kafka) {
    Properties properties = kafka.adminProperties(Duration.ofSeconds(10));
    try (Admin admin = Admin.create(properties)) {
      Node node = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).iterator().next();
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node.idString());
      Config config = admin.describeConfigs(List.of(broker)).all().get(10, TimeUnit.SECONDS).get(broker);
      ConfigEntry entry = config.get("transaction.max.timeout.ms");
      return entry == null ? null : Long.parseLong(entry.value());
    } catch (Exception e) {
      log.warn("Could not read transaction.max.timeout.ms from the broker to check transaction.timeout.ms: {}", e.toString());
      return null;
    }
  }
}
