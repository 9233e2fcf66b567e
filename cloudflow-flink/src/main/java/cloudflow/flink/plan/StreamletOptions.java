package cloudflow.flink.plan;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every default the starter gives a streamlet's job and its Kafka clients, in one place, as typed
 * options with descriptions. Each is used only where neither the user nor (when Flink runs the
 * application) the cluster sets the setting it fills; the description names that setting.
 */
public final class StreamletOptions {

  /** Checkpoint interval of an at-least-once streamlet. */
  public static final ConfigOption<Duration> AT_LEAST_ONCE_CHECKPOINT_INTERVAL =
      key("cloudflow.defaults.at-least-once.checkpoint-interval").durationType().defaultValue(Duration.ofSeconds(10))
          .withDescription("execution.checkpointing.interval of an at-least-once streamlet: Kafka offsets are "
              + "committed on checkpoints, so this bounds what a restart reads again.");

  /** Checkpoint interval of an exactly-once streamlet. */
  public static final ConfigOption<Duration> EXACTLY_ONCE_CHECKPOINT_INTERVAL =
      key("cloudflow.defaults.exactly-once.checkpoint-interval").durationType().defaultValue(Duration.ofSeconds(1))
          .withDescription("execution.checkpointing.interval of an exactly-once streamlet: its output becomes "
              + "visible when a checkpoint commits it, so this is its latency; 10 s halved the throughput measured "
              + "in benchmarks, 1 s costs little.");

  /** First delay of the bounded exponential-delay restart strategy. */
  public static final ConfigOption<Duration> RESTART_INITIAL_BACKOFF =
      key("cloudflow.defaults.restart.initial-backoff").durationType().defaultValue(Duration.ofSeconds(1))
          .withDescription("restart-strategy.exponential-delay.initial-backoff when no restart-strategy* key is set: "
              + "with checkpointing on, Flink's default retries at full speed forever.");

  /** Longest delay of the restart strategy. */
  public static final ConfigOption<Duration> RESTART_MAX_BACKOFF =
      key("cloudflow.defaults.restart.max-backoff").durationType().defaultValue(Duration.ofMinutes(1))
          .withDescription("restart-strategy.exponential-delay.max-backoff when no restart-strategy* key is set.");

  /** Restarts before the backoff resets. */
  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      key("cloudflow.defaults.restart.attempts-before-reset-backoff").intType().defaultValue(10)
          .withDescription("restart-strategy.exponential-delay.attempts-before-reset-backoff when no "
              + "restart-strategy* key is set.");

  /** Restarts within {@link #HEALTH_RESTART_WINDOW} beyond which liveness is DOWN. */
  public static final ConfigOption<Integer> HEALTH_MAX_RESTARTS =
      key("cloudflow.defaults.health.max-restarts").intType().defaultValue(5)
          .withDescription("Liveness is DOWN once a job restarted more than this many times within "
              + "cloudflow.defaults.health.restart-window. With the default restart strategy (1 s backoff growing "
              + "1.5-fold) the sixth restart comes about 21 s of backoff after the first failure, long before the "
              + "strategy gives up after 10 attempts (about 2 min), so the probe sees a restart loop first.");

  /** The window {@link #HEALTH_MAX_RESTARTS} counts restarts in. */
  public static final ConfigOption<Duration> HEALTH_RESTART_WINDOW =
      key("cloudflow.defaults.health.restart-window").durationType().defaultValue(Duration.ofMinutes(5))
          .withDescription("The sliding window in which restarts are counted for liveness: long enough to see "
              + "a loop whose backoff has grown to the restart strategy's max-backoff (1 min).");

  /** How long a job must run after a restart before readiness is UP again. */
  public static final ConfigOption<Duration> HEALTH_SETTLE_TIME =
      key("cloudflow.defaults.health.settle-time").durationType().defaultValue(Duration.ofSeconds(30))
          .withDescription("After a restart, readiness stays DOWN until every task has run this long without "
              + "another restart, so that a restart loop reads DOWN throughout instead of flapping (a job that "
              + "fails on a record runs for well under a second each time). Before the first restart readiness "
              + "is UP as soon as every task runs.");

  /** How long a running job may go without completing a checkpoint before liveness is DOWN. */
  public static final ConfigOption<Duration> HEALTH_CHECKPOINT_STALL =
      key("cloudflow.defaults.health.checkpoint-stall").durationType().defaultValue(Duration.ofMinutes(5))
          .withDescription("Liveness is DOWN when a job with checkpointing on has had every task running for this "
              + "long without completing a checkpoint (at least twice its checkpoint interval); the same 5 min as "
              + "the StreamletCheckpointTooOld alert. Readiness stays UP: the job still processes.");

  /** Where a Flink cluster in this JVM binds its REST API and its other services. */
  public static final ConfigOption<String> LOCAL_REST_BIND_ADDRESS =
      key("cloudflow.defaults.local.rest-bind-address").stringType().defaultValue("127.0.0.1")
          .withDescription("rest.bind-address, jobmanager.bind-host and taskmanager.bind-host of a Flink cluster "
              + "in this JVM: its REST API and blob server have no authentication, and nothing outside the "
              + "process needs them (in a pod they would listen on the pod's address).");

  /** Parallelism of a job in a Flink cluster of this JVM. */
  public static final ConfigOption<Integer> LOCAL_PARALLELISM =
      key("cloudflow.defaults.local.parallelism").intType().defaultValue(1)
          .withDescription("parallelism.default of a job in a Flink cluster of this JVM (Flink's own local "
              + "default is one per CPU core); a cluster elsewhere has its own.");

  /** How long producers wait to fill a batch. */
  public static final ConfigOption<Duration> PRODUCER_LINGER =
      key("cloudflow.defaults.producer.linger").durationType().defaultValue(Duration.ofMillis(10))
          .withDescription("The producers' linger.ms: batching cut the brokers' CPU per record by a third to a "
              + "half in benchmarks.");

  /** Producers' batch size in bytes. */
  public static final ConfigOption<Integer> PRODUCER_BATCH_SIZE =
      key("cloudflow.defaults.producer.batch-size").intType().defaultValue(65536)
          .withDescription("The producers' batch.size in bytes.");

  /** Records a consumer returns per poll. */
  public static final ConfigOption<Integer> CONSUMER_MAX_POLL_RECORDS =
      key("cloudflow.defaults.consumer.max-poll-records").intType().defaultValue(2000)
          .withDescription("The consumers' max.poll.records.");

  /** Transaction timeout of exactly-once producers. */
  public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
      key("cloudflow.defaults.exactly-once.transaction-timeout").durationType().defaultValue(Duration.ofMinutes(10))
          .withDescription("The exactly-once producers' transaction.timeout.ms: at most the brokers' "
              + "transaction.max.timeout.ms (15 min by default), checked at startup.");

  /** How often a running job takes a savepoint on its own; 0: never. */
  public static final ConfigOption<Duration> SAVEPOINT_INTERVAL =
      key("cloudflow.savepoints.interval").durationType().defaultValue(Duration.ZERO)
          .withDescription("Time between periodic savepoints of a java -jar or remote-mode job, in its savepoint "
              + "directory; 0 (the default): savepoints are taken only on stop and on request.");

  /** Savepoints kept in a streamlet's directory. */
  public static final ConfigOption<Integer> SAVEPOINTS_RETAINED =
      key("cloudflow.savepoints.retained").intType().defaultValue(5)
          .withDescription("How many savepoints of a streamlet are kept in its savepoint directory (the newest); "
              + "older ones are deleted at startup and after each savepoint, except the one a restart would resume from.");

  /** Age after which checkpoints and savepoints are deleted. */
  public static final ConfigOption<Duration> RETENTION_MAX_AGE =
      key("cloudflow.retention.max-age").durationType().defaultValue(Duration.ZERO)
          .withDescription("Checkpoints of earlier runs and savepoints older than this are deleted from a streamlet's "
              + "directory, except the one a restart would resume from; 0 (the default): no age limit, only the counts apply.");

  private StreamletOptions() {}
}
