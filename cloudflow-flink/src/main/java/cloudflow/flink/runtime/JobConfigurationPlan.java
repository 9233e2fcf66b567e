package cloudflow.flink.runtime;

import cloudflow.flink.plan.RestoreSettings;
import cloudflow.flink.plan.StreamletDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.fs.Path;

/**
 * The Flink configuration of one streamlet's job, layered by who owns each setting, and where each
 * setting came from (logged once at submission):
 *
 * <ol>
 *   <li>explicit settings (the user's {@code cloudflow.*} properties and customizers, the
 *       streamlet's own) always apply;
 *   <li>inside a Flink cluster, the cluster's configuration comes next: the starter's defaults fill
 *       only what it leaves unset, directories and restore path stay the cluster's;
 *   <li>the starter's {@linkplain StreamletJobDefaults defaults}, and for a cluster in this JVM the
 *       local-only defaults (its checkpoint directory, metric reporter, REST bind address);
 *   <li>outside a Flink cluster with a checkpoint directory: a directory per streamlet with retained
 *       checkpoints and its savepoints, and the newest complete one as restore point (see
 *       {@link CheckpointRecovery}) unless a restore point is chosen or the scan is off.
 * </ol>
 */
final class JobConfigurationPlan {

  /** Where a setting of the job came from. */
  enum Source {
    EXPLICIT("set"),
    CLUSTER("from the cluster"),
    DEFAULT("default"),
    RECOVERY("recovery");

    private final String label;

    Source(String label) {
      this.label = label;
    }
  }

  private static final String REPORTER_PREFIX = "metrics.reporter.";

  private final Configuration configuration = new Configuration();
  // sorted: the log line reads the same on every start
  private final Map<String, Source> sources = new TreeMap<>();
  private final Map<String, String> clusterValues = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();

  private JobConfigurationPlan() {}

  /**
   * Plans a job's configuration.
   *
   * @param target where the job runs
   * @param cluster the cluster's configuration when Flink runs the application, else empty
   * @param explicit the settings the user asked for, for every streamlet
   * @param localDefaults defaults for a cluster in this JVM only (e.g. the default checkpoint directory)
   * @param definition the streamlet, with its own settings and restore choice
   */
  static JobConfigurationPlan plan(
      ExecutionTarget target, ReadableConfig cluster, Configuration explicit, Configuration localDefaults,
      StreamletDefinition definition) {
    JobConfigurationPlan plan = new JobConfigurationPlan();
    Configuration asked = new Configuration(explicit);
    definition.flinkSettings().forEach(asked::setString);
    asked.toMap().forEach((key, value) -> {
      // Flink reads reporters from the cluster's configuration only: outside this JVM a job's are dead weight
      if (target.isLocal() || !key.startsWith(REPORTER_PREFIX)) {
        plan.put(key, value, Source.EXPLICIT);
      }
    });
    boolean insideCluster = target.kind() == ExecutionTarget.Kind.FLINK_CLUSTER;
    Map<String, String> clusterSettings = insideCluster ? cluster.toMap() : Map.of();
    if (target.isLocal()) {
      plan.fill(localDefaults, clusterSettings);
      plan.fill(StreamletJobDefaults.localCluster(), clusterSettings);
    }
    plan.fill(StreamletJobDefaults.checkpointing(definition.deliveryGuarantee()), clusterSettings);
    boolean strategyChosen = plan.configuration.keySet().stream()
        .anyMatch(key -> key.startsWith(StreamletJobDefaults.RESTART_STRATEGY_PREFIX))
        || clusterSettings.keySet().stream().anyMatch(key -> key.startsWith(StreamletJobDefaults.RESTART_STRATEGY_PREFIX));
    if (!strategyChosen) {
      plan.fill(StreamletJobDefaults.restartStrategy(), clusterSettings);
    }
    plan.restore(insideCluster, clusterSettings, definition);
    return plan;
  }

  /** The job's configuration: what the job is given (inside a Flink cluster, Flink lays it over the cluster's). */
  Configuration configuration() {
    return new Configuration(configuration);
  }

  /** One line saying which settings came from where, and how the job restores. */
  String describe() {
    Map<Source, List<String>> bySource = new LinkedHashMap<>();
    sources.forEach((key, source) -> bySource.computeIfAbsent(source, s -> new ArrayList<>())
        .add(key + "=" + (source == Source.CLUSTER ? clusterValues.get(key) : configuration.getString(key, ""))));
    StringBuilder text = new StringBuilder();
    bySource.forEach((source, entries) -> text.append(text.isEmpty() ? "" : "; ").append(source.label).append(": ")
        .append(String.join(", ", entries)));
    notes.forEach(note -> text.append(text.isEmpty() ? "" : "; ").append(note));
    return text.toString();
  }

  private void put(String key, String value, Source source) {
    configuration.setString(key, value);
    sources.put(key, source);
  }

  /** Sets each default the job and the cluster leave unset; notes the cluster's values it gave way to. */
  private void fill(Configuration defaults, Map<String, String> clusterSettings) {
    defaults.toMap().forEach((key, value) -> {
      if (configuration.containsKey(key)) {
        return;
      }
      if (clusterSettings.containsKey(key)) {
        sources.put(key, Source.CLUSTER);
        clusterValues.put(key, clusterSettings.get(key));
      } else {
        put(key, value, Source.DEFAULT);
      }
    });
  }

  private void restore(boolean insideCluster, Map<String, String> clusterSettings, StreamletDefinition definition) {
    RestoreSettings restore = definition.restore();
    if (restore.allowNonRestoredState()) {
      put(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE.key(), "true", Source.EXPLICIT);
    }
    if (restore.restoreFrom() != null) {
      put(StateRecoveryOptions.SAVEPOINT_PATH.key(), restore.restoreFrom(), Source.EXPLICIT);
      // a chosen savepoint or checkpoint stays the user's: a later roll-back may need it
      put(StateRecoveryOptions.RESTORE_MODE.key(), RecoveryClaimMode.NO_CLAIM.name(), Source.EXPLICIT);
    }
    if (insideCluster) {
      String clusterPath = clusterSettings.get(StateRecoveryOptions.SAVEPOINT_PATH.key());
      if (restore.restoreFrom() == null) {
        notes.add(clusterPath != null
            ? "restores from " + clusterPath + " (the cluster's " + StateRecoveryOptions.SAVEPOINT_PATH.key() + ")"
            : "restore left to the cluster (no " + StateRecoveryOptions.SAVEPOINT_PATH.key() + " set there)");
      }
      return;
    }
    configuration.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
        .ifPresent(directory -> streamletLayout(directory, definition));
  }

  private void streamletLayout(String directory, StreamletDefinition definition) {
    Path streamletDirectory = CheckpointRecovery.streamletDirectory(
        directory, CheckpointRecovery.streamletId(definition.applicationId(), definition.streamletRef()));
    // Flink puts each run's checkpoints in <checkpoint dir>/<job-id>: all runs of this streamlet share one parent
    configuration.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, streamletDirectory.toString());
    if (!configuration.contains(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION)) {
      configuration.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
      sources.put(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION.key(), Source.RECOVERY);
    }
    if (!configuration.contains(CheckpointingOptions.SAVEPOINT_DIRECTORY)) {
      configuration.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, CheckpointRecovery.savepointDirectory(streamletDirectory).toString());
      sources.put(CheckpointingOptions.SAVEPOINT_DIRECTORY.key(), Source.RECOVERY);
    }
    if (configuration.contains(StateRecoveryOptions.SAVEPOINT_PATH)) {
      notes.add("restores from " + configuration.get(StateRecoveryOptions.SAVEPOINT_PATH));
      return;
    }
    if (!definition.restore().resumeFromNewest()) {
      notes.add("starts without state: resuming from the newest checkpoint is off");
      return;
    }
    Optional<Path> restorePoint = CheckpointRecovery.newestRestorePoint(streamletDirectory);
    int pruned = CheckpointRecovery.prune(streamletDirectory, Retention.of(configuration), restorePoint, null);
    if (restorePoint.isPresent()) {
      boolean savepoint = CheckpointRecovery.isSavepoint(restorePoint.get());
      configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePoint.get().toString());
      // the job takes ownership of its own checkpoints only (the restored one is deleted once newer ones
      // subsume it); a savepoint stays the user's, for a roll-back to the version that wrote it
      sources.put(StateRecoveryOptions.SAVEPOINT_PATH.key(), Source.RECOVERY);
      if (sources.get(StateRecoveryOptions.RESTORE_MODE.key()) != Source.EXPLICIT) {
        configuration.set(StateRecoveryOptions.RESTORE_MODE, savepoint ? RecoveryClaimMode.NO_CLAIM : RecoveryClaimMode.CLAIM);
        sources.put(StateRecoveryOptions.RESTORE_MODE.key(), Source.RECOVERY);
      }
      notes.add("resumes from " + restorePoint.get()
          + (savepoint ? " (a savepoint: not claimed, it stays for a roll-back)" : " (its last checkpoint: claimed)")
          + (pruned > 0 ? " (deleted " + pruned + " older checkpoints/savepoints)" : ""));
    } else {
      notes.add("starts without state: no checkpoint or savepoint in " + streamletDirectory);
    }
  }
}
