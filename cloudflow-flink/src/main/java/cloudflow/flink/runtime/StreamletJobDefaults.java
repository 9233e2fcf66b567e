package cloudflow.flink.runtime;

import java.time.Duration;
import cloudflow.flink.plan.StreamletOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The Flink settings the starter gives a streamlet's job where neither the user nor, when Flink runs
 * the application, the cluster sets them: Flink's own options, with the values of
 * {@link StreamletOptions}.
 */
public final class StreamletJobDefaults {

  /** Checkpoint interval of an at-least-once streamlet ({@link StreamletOptions#AT_LEAST_ONCE_CHECKPOINT_INTERVAL}). */
  public static final Duration AT_LEAST_ONCE_CHECKPOINT_INTERVAL =
      StreamletOptions.AT_LEAST_ONCE_CHECKPOINT_INTERVAL.defaultValue();

  /** Checkpoint interval of an exactly-once streamlet ({@link StreamletOptions#EXACTLY_ONCE_CHECKPOINT_INTERVAL}). */
  public static final Duration EXACTLY_ONCE_CHECKPOINT_INTERVAL =
      StreamletOptions.EXACTLY_ONCE_CHECKPOINT_INTERVAL.defaultValue();

  /** Prefix of every restart-strategy key: a user or cluster that sets any of them chose a strategy. */
  static final String RESTART_STRATEGY_PREFIX = "restart-strategy";

  private StreamletJobDefaults() {}

  /** The checkpoint interval of a streamlet with this delivery guarantee. */
  public static Duration checkpointInterval(DeliveryGuarantee guarantee) {
    return guarantee == DeliveryGuarantee.EXACTLY_ONCE ? EXACTLY_ONCE_CHECKPOINT_INTERVAL : AT_LEAST_ONCE_CHECKPOINT_INTERVAL;
  }

  /** The checkpoint interval for the guarantee (its own key, so it is filled apart from the rest). */
  static Configuration checkpointing(DeliveryGuarantee guarantee) {
    Configuration defaults = new Configuration();
    defaults.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval(guarantee));
    return defaults;
  }

  /**
   * A bounded exponential-delay restart strategy: with checkpointing on, Flink's default retries at
   * full speed forever, hiding a broken job from liveness probes. Filled only as a whole, when no
   * {@code restart-strategy*} key is set. The health checks see a restart loop first
   * ({@link StreamletOptions#HEALTH_MAX_RESTARTS}: the sixth restart, about 21 s of backoff in), the
   * strategy gives up later (after {@link StreamletOptions#RESTART_ATTEMPTS} attempts, about 2 min);
   * {@code StreamletHealthPolicyTest} keeps the two in that order.
   */
  static Configuration restartStrategy() {
    Configuration defaults = new Configuration();
    defaults.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    defaults.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        StreamletOptions.RESTART_INITIAL_BACKOFF.defaultValue());
    defaults.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        StreamletOptions.RESTART_MAX_BACKOFF.defaultValue());
    defaults.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
        StreamletOptions.RESTART_ATTEMPTS.defaultValue());
    return defaults;
  }

  /**
   * Settings for a Flink cluster inside this JVM only: its REST API and blob server have no
   * authentication, so they stay on this host; and a job takes one slot unless its parallelism is set (Flink's local default
   * is one per CPU core). A cluster elsewhere has its own parallelism.default.
   */
  static Configuration localCluster() {
    Configuration defaults = new Configuration();
    defaults.set(RestOptions.BIND_ADDRESS, StreamletOptions.LOCAL_REST_BIND_ADDRESS.defaultValue());
    // the blob server binds jobmanager.bind-host, the task manager's services taskmanager.bind-host
    defaults.set(JobManagerOptions.BIND_HOST, StreamletOptions.LOCAL_REST_BIND_ADDRESS.defaultValue());
    defaults.set(TaskManagerOptions.BIND_HOST, StreamletOptions.LOCAL_REST_BIND_ADDRESS.defaultValue());
    defaults.set(CoreOptions.DEFAULT_PARALLELISM, StreamletOptions.LOCAL_PARALLELISM.defaultValue());
    return defaults;
  }
}
