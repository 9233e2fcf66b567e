package sensors;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One plain Kafka broker process for the integration tests that only talk to a broker: failsafe runs
 * them one after another in one JVM, and a broker start costs seconds each (far more on a loaded
 * machine). Started on first use; the broker's own JVM shutdown hook kills it when the test JVM exits.
 *
 * <p>Sharing is safe because every user has topics, application ids (consumer groups, transactional
 * ids) and check consumer groups of its own. ApplicationModeIT is the only one on the blueprint's
 * {@code sensor-readings}/{@code sensor-summaries} and the application id {@code sensor-pipeline}:
 * it checks the generated manifests' names. Tests must not stop, kill, restart or configure it; those
 * that stop their broker (RecoveryIT, ReadinessIT) or need security listeners (KafkaSecurityIT) keep
 * brokers of their own.
 */
final class SharedBroker {

  /** The longest of its users' former start timeouts (UpgradeIT's): a JVM start on a busy 2-core machine. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

  private static KafkaBrokerProcess broker;

  private SharedBroker() {}

  /** The running shared broker (2 partitions per topic by default), started on the first call. */
  static synchronized KafkaBrokerProcess get() {
    if (broker == null) {
      Path target = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath().getParent();
      // assigned once started: a failed start is tried again by the next test instead of failing them all
      broker = new KafkaBrokerProcess(target.resolve("shared-kafka-broker"))
          .withPartitions(2).withStartTimeout(START_TIMEOUT).start();
    } else if (!broker.isRunning()) {
      // it crashed (no user stops it): same ports and data, so the next test is not failed by an earlier one
      System.out.println("the shared Kafka broker was not running; restarting it. End of its log:\n" + broker.logTail(40));
      broker.restart();
    }
    return broker;
  }
}
