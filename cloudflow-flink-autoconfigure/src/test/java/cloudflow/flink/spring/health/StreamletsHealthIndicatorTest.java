package cloudflow.flink.spring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import cloudflow.flink.StreamletExecution;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class StreamletsHealthIndicatorTest {

  @Test
  void readinessIsDownWhileARunningJobStillStartsItsTasks() {
    StreamletLauncher launcher = launcherOf(new Execution("processor", JobStatus.RUNNING, false), new Execution("egress", JobStatus.RUNNING, true));

    var health = StreamletsHealthIndicator.readiness(launcher).health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("processor", "RUNNING, tasks {DEPLOYING=1, RUNNING=1}")
        .containsEntry("egress", "RUNNING");
  }

  @Test
  void readinessIsUpOnceEveryJobRunsAllItsTasks() {
    StreamletLauncher launcher = launcherOf(new Execution("processor", JobStatus.RUNNING, true));

    assertThat(StreamletsHealthIndicator.readiness(launcher).health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void livenessStaysUpWhileTasksStart() {
    StreamletLauncher launcher = launcherOf(new Execution("processor", JobStatus.RUNNING, false));

    assertThat(StreamletsHealthIndicator.liveness(launcher).health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void livenessIsDownOnceAJobFailed() {
    StreamletLauncher launcher = launcherOf(new Execution("processor", JobStatus.FAILED, false));

    assertThat(StreamletsHealthIndicator.liveness(launcher).health().getStatus()).isEqualTo(Status.DOWN);
  }

  private static StreamletLauncher launcherOf(StreamletExecution... executions) {
    StreamletLauncher launcher = mock(StreamletLauncher.class);
    when(launcher.executions()).thenReturn(List.of(executions));
    return launcher;
  }

  private record Execution(String streamletRef, JobStatus status, boolean running) implements StreamletExecution {

    @Override
    public String describe() {
      return status == JobStatus.RUNNING && !running ? "RUNNING, tasks {DEPLOYING=1, RUNNING=1}" : status.name();
    }

    @Override
    public CompletableFuture<Void> ready() {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Void> completed() {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Void> stop() {
      return CompletableFuture.completedFuture(null);
    }
  }
}
