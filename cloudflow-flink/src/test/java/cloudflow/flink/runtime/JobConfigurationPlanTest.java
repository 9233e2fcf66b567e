package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.plan.RestoreSettings;
import cloudflow.flink.plan.StreamletDefinition;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link JobConfigurationPlan} layers explicit settings, the cluster's and the defaults, per mode. */
class JobConfigurationPlanTest {

  private static final ExecutionTarget INSIDE_FLINK = ExecutionTarget.flinkCluster();
  private static final ExecutionTarget LOCAL = ExecutionTarget.local();

  @TempDir
  Path checkpoints;

  @Test
  void givesALocalJobEveryDefault() {
    Map<String, String> job = plan(LOCAL, Map.of(), Map.of(), definition(DeliveryGuarantee.AT_LEAST_ONCE)).configuration().toMap();

    assertThat(job)
        .containsEntry("restart-strategy.type", "exponential-delay")
        .containsEntry("restart-strategy.exponential-delay.initial-backoff", "1 s")
        .containsEntry("restart-strategy.exponential-delay.max-backoff", "1 min")
        .containsEntry("restart-strategy.exponential-delay.attempts-before-reset-backoff", "10")
        .containsEntry("rest.bind-address", "127.0.0.1")
        .containsEntry("execution.checkpointing.interval", "10 s")
        .containsEntry("parallelism.default", "1")
        .containsEntry("jobmanager.bind-host", "127.0.0.1")
        .containsEntry("taskmanager.bind-host", "127.0.0.1")
        .hasSize(9);
  }

  @Test
  void dropsEveryDefaultRestartStrategyKeyWhenTheUserSetsAnyOfThem() {
    Map<String, String> chosen = plan(LOCAL, Map.of(),
        Map.of("restart-strategy.type", "fixed-delay", "restart-strategy.fixed-delay.attempts", "3"),
        definition(DeliveryGuarantee.AT_LEAST_ONCE)).configuration().toMap();
    Map<String, String> oneKey = plan(LOCAL, Map.of(), Map.of("restart-strategy.exponential-delay.max-backoff", "5 min"),
        definition(DeliveryGuarantee.AT_LEAST_ONCE)).configuration().toMap();

    assertThat(chosen)
        .containsEntry("restart-strategy.type", "fixed-delay")
        .containsEntry("restart-strategy.fixed-delay.attempts", "3")
        .doesNotContainKeys("restart-strategy.exponential-delay.initial-backoff",
            "restart-strategy.exponential-delay.max-backoff",
            "restart-strategy.exponential-delay.attempts-before-reset-backoff");
    assertThat(oneKey)
        .containsEntry("restart-strategy.exponential-delay.max-backoff", "5 min")
        .doesNotContainKeys("restart-strategy.type", "restart-strategy.exponential-delay.initial-backoff");
  }

  @Test
  void insideAFlinkClusterTheClustersSettingsWinOverEveryDefault() throws Exception {
    Path run = Files.createDirectories(checkpoints.resolve("a".repeat(32)).resolve("chk-3"));
    Files.writeString(run.resolve("_metadata"), "x");
    Map<String, String> cluster = Map.of(
        "execution.checkpointing.interval", "30 s",
        "execution.checkpointing.dir", checkpoints.toUri().toString(),
        "restart-strategy.type", "fixed-delay");

    JobConfigurationPlan plan = plan(INSIDE_FLINK, cluster, Map.of("metrics.reporter.micrometer.factory.class", "x"),
        definition(DeliveryGuarantee.EXACTLY_ONCE));

    // Flink lays the job's configuration over the cluster's: whatever the job leaves out is the cluster's
    assertThat(plan.configuration().toMap())
        .doesNotContainKeys("execution.checkpointing.interval", "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir", "execution.checkpointing.externalized-checkpoint-retention",
            "execution.state-recovery.path", "execution.state-recovery.claim-mode", "pipeline.classpaths",
            "rest.bind-address", "jobmanager.bind-host", "taskmanager.bind-host", "parallelism.default",
            "metrics.reporter.micrometer.factory.class")
        .noneSatisfy((key, value) -> assertThat(key).startsWith("restart-strategy"));
    assertThat(plan.describe())
        .contains("from the cluster: execution.checkpointing.interval=30 s")
        .contains("restore left to the cluster");
  }

  @Test
  void insideAFlinkClusterDefaultsFillWhatTheClusterLeavesUnsetAndExplicitSettingsWin() {
    JobConfigurationPlan plan = plan(INSIDE_FLINK, Map.of("execution.state-recovery.path", "file:///sp/savepoint-1"),
        Map.of("parallelism.default", "3", "execution.checkpointing.interval", "5 s"),
        definition(DeliveryGuarantee.AT_LEAST_ONCE));

    assertThat(plan.configuration().toMap())
        .containsEntry("parallelism.default", "3")
        .containsEntry("execution.checkpointing.interval", "5 s")
        .containsEntry("restart-strategy.type", "exponential-delay")
        .doesNotContainKeys("execution.state-recovery.path", "rest.bind-address");
    assertThat(plan.describe())
        .contains("set: execution.checkpointing.interval=5 s, parallelism.default=3")
        .contains("restores from file:///sp/savepoint-1 (the cluster's execution.state-recovery.path)");
  }

  @Test
  void aChosenRestorePointWinsInEveryModeAndIsNotClaimed() throws Exception {
    RestoreSettings chosen = new RestoreSettings("file:///sp/savepoint-7", true, true);
    Path run = Files.createDirectories(checkpoints.resolve(
        CheckpointRecovery.streamletId("app", "processor")).resolve("b".repeat(32)).resolve("chk-9"));
    Files.writeString(run.resolve("_metadata"), "x");

    for (ExecutionTarget target : new ExecutionTarget[] {LOCAL, INSIDE_FLINK}) {
      Map<String, String> job = plan(target, Map.of("execution.state-recovery.path", "file:///sp/other"),
          Map.of("execution.checkpointing.dir", checkpoints.toUri().toString()),
          definition(DeliveryGuarantee.AT_LEAST_ONCE, chosen)).configuration().toMap();

      assertThat(job).as(target.toString())
          .containsEntry("execution.state-recovery.path", "file:///sp/savepoint-7")
          .containsEntry("execution.state-recovery.claim-mode", "NO_CLAIM")
          .containsEntry("execution.state-recovery.ignore-unclaimed-state", "true");
    }
    assertThat(run).as("the newer checkpoint was not pruned").exists();
  }

  @Test
  void locallyResumesFromTheNewestCheckpointUnlessThatIsOff() throws Exception {
    Path run = Files.createDirectories(checkpoints.resolve(
        CheckpointRecovery.streamletId("app", "processor")).resolve("c".repeat(32)).resolve("chk-4"));
    Files.writeString(run.resolve("_metadata"), "x");
    Map<String, String> directory = Map.of("execution.checkpointing.dir", checkpoints.toUri().toString());

    JobConfigurationPlan resumes = plan(LOCAL, Map.of(), directory, definition(DeliveryGuarantee.AT_LEAST_ONCE));
    JobConfigurationPlan fresh = plan(LOCAL, Map.of(), directory,
        definition(DeliveryGuarantee.AT_LEAST_ONCE, new RestoreSettings(null, false, false)));

    assertThat(resumes.configuration().toMap())
        .containsEntry("execution.state-recovery.path", "file:" + run)
        .containsEntry("execution.state-recovery.claim-mode", "CLAIM")
        .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    assertThat(fresh.configuration().toMap()).doesNotContainKey("execution.state-recovery.path");
    assertThat(fresh.describe()).contains("resuming from the newest checkpoint is off");
  }

  @Test
  void resumesFromItsNewestSavepointWithoutClaimingIt() throws Exception {
    Path streamlet = checkpoints.resolve(CheckpointRecovery.streamletId("app", "processor"));
    Path checkpoint = Files.createDirectories(streamlet.resolve("c".repeat(32)).resolve("chk-4"));
    Files.writeString(checkpoint.resolve("_metadata"), "x");
    Files.setLastModifiedTime(checkpoint.resolve("_metadata"), java.nio.file.attribute.FileTime.fromMillis(1_000));
    Path savepoint = Files.createDirectories(streamlet.resolve("savepoints").resolve("savepoint-c0ffee-1"));
    Files.writeString(savepoint.resolve("_metadata"), "x");

    JobConfigurationPlan plan = plan(LOCAL, Map.of(), Map.of("execution.checkpointing.dir", checkpoints.toUri().toString()),
        definition(DeliveryGuarantee.AT_LEAST_ONCE));

    // a savepoint is the user's (a roll-back to the version that wrote it needs it): Flink must not delete it
    assertThat(plan.configuration().toMap())
        .containsEntry("execution.state-recovery.path", "file:" + savepoint)
        .containsEntry("execution.state-recovery.claim-mode", "NO_CLAIM");
    assertThat(plan.describe()).contains("resumes from file:" + savepoint + " (a savepoint: not claimed");
  }

  @Test
  void anExplicitClaimModeIsKept() throws Exception {
    Path run = Files.createDirectories(checkpoints.resolve(
        CheckpointRecovery.streamletId("app", "processor")).resolve("c".repeat(32)).resolve("chk-4"));
    Files.writeString(run.resolve("_metadata"), "x");

    Map<String, String> job = plan(LOCAL, Map.of(), Map.of("execution.checkpointing.dir", checkpoints.toUri().toString(),
        "execution.state-recovery.claim-mode", "NO_CLAIM"), definition(DeliveryGuarantee.AT_LEAST_ONCE))
        .configuration().toMap();

    assertThat(job).containsEntry("execution.state-recovery.claim-mode", "NO_CLAIM");
  }

  @Test
  void localDefaultsApplyOnlyToAClusterInThisJvm() {
    Configuration localDefaults = Configuration.fromMap(Map.of("execution.checkpointing.dir", "file:///local"));

    Map<String, String> local = JobConfigurationPlan.plan(LOCAL, new Configuration(), new Configuration(), localDefaults,
        definition(DeliveryGuarantee.AT_LEAST_ONCE)).configuration().toMap();
    Map<String, String> inside = JobConfigurationPlan.plan(INSIDE_FLINK, new Configuration(), new Configuration(),
        localDefaults, definition(DeliveryGuarantee.AT_LEAST_ONCE)).configuration().toMap();

    assertThat(local.get("execution.checkpointing.dir")).startsWith("file:/local/");
    assertThat(inside).doesNotContainKey("execution.checkpointing.dir");
  }

  private static JobConfigurationPlan plan(
      ExecutionTarget target, Map<String, String> cluster, Map<String, String> explicit, StreamletDefinition definition) {
    return JobConfigurationPlan.plan(target, Configuration.fromMap(cluster), Configuration.fromMap(explicit),
        new Configuration(), definition);
  }

  private static StreamletDefinition definition(DeliveryGuarantee guarantee) {
    return definition(guarantee, RestoreSettings.DEFAULT);
  }

  private static StreamletDefinition definition(DeliveryGuarantee guarantee, RestoreSettings restore) {
    return new StreamletDefinition("app", "processor", Map.of("in", "in-topic"), ConfigFactory.empty(), guarantee,
        Map.of(), Map.of(), restore);
  }
}
