package cloudflow.flink.spring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import cloudflow.flink.JobTimeline;
import cloudflow.flink.StreamletExecution;
import cloudflow.flink.health.StreamletHealthPolicy;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import java.time.Duration;
import java.time.Instant;
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

  @Test
  void bothProbesNameTheReasonOfARestartLoop() {
    Instant now = Instant.now();
    StreamletExecution looping = new Execution("processor", JobStatus.RUNNING, true) {
      @Override
      public JobTimeline timeline() {
        return new JobTimeline(List.of(now.minusSeconds(3), now.minusSeconds(2), now.minusSeconds(1)), now, null);
      }
    };
    StreamletLauncher launcher = launcherOf(looping);
    StreamletHealthPolicy policy = new StreamletHealthPolicy(2, Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofMinutes(5));

    for (StreamletsHealthIndicator probe : List.of(StreamletsHealthIndicator.liveness(launcher, policy),
        StreamletsHealthIndicator.readiness(launcher, policy))) {
      var health = probe.health();
      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat((String) health.getDetails().get("processor"))
          .isEqualTo("RUNNING, restart loop: 3 restarts in the last 60 s (more than 2)");
    }
  }

  private static StreamletLauncher launcherOf(StreamletExecution... executions) {
    StreamletLauncher launcher = mock(StreamletLauncher.class);
    when(launcher.executions()).thenReturn(List.of(executions));
    return launcher;
  }

  private static class Execution implements StreamletExecution {

    private final String streamletRef;
    private final JobStatus status;
    private final boolean running;

    Execution(String streamletRef, JobStatus status, boolean running) {
      this.streamletRef = streamletRef;
      this.status = status;
      this.running = running;
    }

    @Override
    public String streamletRef() {
      return streamletRef;
    }

    @Override
    public JobStatus status() {
      return status;
    }

    @Override
    public boolean running() {
      return running;
    }

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
