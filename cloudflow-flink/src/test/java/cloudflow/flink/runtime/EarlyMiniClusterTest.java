package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;

class EarlyMiniClusterTest {

  @Test
  void givesEachParallelInstanceASlotSpreadOverTheTaskManagersLikeFlinksLocalExecutor() {
    MiniClusterConfiguration configuration = EarlyMiniCluster.configurationFor(
        Configuration.fromMap(Map.of("parallelism.default", "3", "minicluster.number-of-taskmanagers", "2")));

    assertThat(configuration.getNumTaskManagers()).isEqualTo(2);
    assertThat(configuration.getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(2);
    assertThat(configuration.getConfiguration().get(org.apache.flink.configuration.RestOptions.BIND_PORT))
        .isEqualTo("0");
  }

  @Test
  void takesConfiguredSlotsAndParallelismOverrides() {
    assertThat(EarlyMiniCluster.configurationFor(
                Configuration.fromMap(Map.of("parallelism.default", "1", "taskmanager.numberOfTaskSlots", "4")))
            .getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS))
        .isEqualTo(4);
    assertThat(EarlyMiniCluster.configurationFor(
                Configuration.fromMap(Map.of("parallelism.default", "1", "pipeline.jobvertex-parallelism-overrides",
                    "0a448493b4782967b150582570326227:3")))
            .getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS))
        .isEqualTo(3);
  }

  @Test
  void shutsDownAClusterNoJobTook() throws Exception {
    EarlyMiniCluster cluster = EarlyMiniCluster.startFor(Configuration.fromMap(Map.of("parallelism.default", "1")), "idle");
    cluster.start(); // waits for the start on the cluster's own thread
    assertThat(cluster.isRunning()).isTrue();

    cluster.closeUnused();

    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (cluster.isRunning() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(cluster.isRunning()).isFalse();
  }
}
