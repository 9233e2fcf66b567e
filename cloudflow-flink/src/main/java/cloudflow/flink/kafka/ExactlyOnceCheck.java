package cloudflow.flink.kafka;

import cloudflow.flink.startup.ExactlyOnceUnsupportedException;
import cloudflow.flink.startup.TransactionTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks before an exactly-once job starts what its transactional producers need from the brokers,
 * so that a mismatch stops startup with a message instead of failing the job after it looked healthy:
 * the producers' {@code transaction.timeout.ms} must be allowed ({@code transaction.max.timeout.ms}),
 * and the brokers must list transactions (Kafka 3.0 or later), which the sink's pooled transactional
 * ids need to find and abort what a crashed run left open.
 */
public final class ExactlyOnceCheck {

  private static final Logger log = LoggerFactory.getLogger(ExactlyOnceCheck.class);

  /** What the brokers at an address allow; asked once per address. */
  private record BrokerFacts(Long maxTransactionTimeoutMs, boolean listsTransactions) {}

  private static final Map<String, BrokerFacts> BROKERS = new ConcurrentHashMap<>();

  private ExactlyOnceCheck() {}

  /** The transaction timeout exactly-once sinks use with these settings, in milliseconds. */
  public static long transactionTimeoutMs(KafkaSettings kafka) {
    return Long.parseLong(kafka.producer().properties()
        .getOrDefault("transaction.timeout.ms", KafkaStreamletContext.DEFAULT_TRANSACTION_TIMEOUT_MS));
  }

  /**
   * Checks the settings of an exactly-once streamlet against the brokers. Brokers that cannot be asked (unreachable, no
   * permission to read their configuration) are logged and not held against the job.
   *
   * @throws TransactionTimeoutException when the timeout is above the brokers' maximum
   * @throws ExactlyOnceUnsupportedException when the brokers cannot list transactions
   */
  public static void check(KafkaSettings kafka, String streamletRef) {
    long timeout = transactionTimeoutMs(kafka);
    BrokerFacts facts = BROKERS.computeIfAbsent(kafka.admin().bootstrapServers(), servers -> ask(kafka));
    Long maximum = facts.maxTransactionTimeoutMs();
    if (maximum != null && maximum > 0 && timeout > maximum) {
      BROKERS.remove(kafka.admin().bootstrapServers());
      throw new TransactionTimeoutException(streamletRef, timeout, maximum);
    }
    if (!facts.listsTransactions()) {
      BROKERS.remove(kafka.admin().bootstrapServers());
      throw new ExactlyOnceUnsupportedException(streamletRef);
    }
  }

  private static BrokerFacts ask(KafkaSettings kafka) {
    Properties properties = kafka.adminProperties(Duration.ofSeconds(10));
    try (Admin admin = Admin.create(properties)) {
      return new BrokerFacts(maxTransactionTimeoutMs(admin), listsTransactions(admin));
    }
  }

  private static Long maxTransactionTimeoutMs(Admin admin) {
    try {
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

  private static boolean listsTransactions(Admin admin) {
    try {
      // only open ones: the answer stays small on a busy cluster
      admin.listTransactions(new ListTransactionsOptions().filterStates(Set.of(TransactionState.ONGOING)))
          .all().get(10, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnsupportedVersionException) {
        return false;
      }
      log.warn("Could not list transactions on the brokers to check exactly-once support: {}", e.getCause().toString());
      return true;
    } catch (Exception e) {
      log.warn("Could not list transactions on the brokers to check exactly-once support: {}", e.toString());
      return true;
    }
  }
}
