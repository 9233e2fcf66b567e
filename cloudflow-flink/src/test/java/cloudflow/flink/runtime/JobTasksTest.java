package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.runtime.execution.ExecutionState;
import org.junit.jupiter.api.Test;

class JobTasksTest {

  @Test
  void allRunningWhenEveryTaskRunsOrFinished() {
    assertThat(JobTasks.allRunning(Map.of(ExecutionState.RUNNING, 4))).isTrue();
    assertThat(JobTasks.allRunning(Map.of(ExecutionState.RUNNING, 3, ExecutionState.FINISHED, 1))).isTrue();
  }

  @Test
  void notAllRunningWhileATaskIsScheduledDeployingOrInitializing() {
    for (ExecutionState starting : new ExecutionState[] {
        ExecutionState.CREATED, ExecutionState.SCHEDULED, ExecutionState.DEPLOYING, ExecutionState.INITIALIZING}) {
      assertThat(JobTasks.allRunning(Map.of(ExecutionState.RUNNING, 3, starting, 1))).as("%s", starting).isFalse();
    }
  }

  @Test
  void notAllRunningWithoutTasks() {
    assertThat(JobTasks.allRunning(Map.of())).isFalse();
    assertThat(JobTasks.allRunning(Map.of(ExecutionState.FINISHED, 2))).isFalse();
  }
}
