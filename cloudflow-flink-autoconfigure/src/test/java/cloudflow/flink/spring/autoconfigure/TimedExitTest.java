package cloudflow.flink.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import cloudflow.flink.StreamletExecution;
import cloudflow.flink.spring.testsupport.StubExecution;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

/** Tests for {@link TimedExit}: the exit code a {@code cloudflow.exit-after} run ends with. */
class TimedExitTest {

  @Test
  void succeedsWhenEveryStreamletStillRunsAfterTheDelay() {
    assertThat(exitFor(new StubExecution("a"), new StubExecution("b")).runningAfterDelay()).isTrue();
  }

  @Test
  void failsWhenAStreamletStoppedBeforeTheDelayEnded() {
    StubExecution stopped = new StubExecution("b");
    stopped.stop();

    assertThat(exitFor(new StubExecution("a"), stopped).runningAfterDelay()).isFalse();
  }

  @Test
  void failsWhenAStreamletNeverStarted() {
    StreamletExecution failed = mock(StreamletExecution.class);
    when(failed.streamletRef()).thenReturn("broken");
    when(failed.ready()).thenReturn(CompletableFuture.failedFuture(new IllegalStateException("job FAILED")));
    when(failed.status()).thenReturn(JobStatus.FAILED);

    assertThat(exitFor(new StubExecution("a"), failed).runningAfterDelay()).isFalse();
  }

  private static TimedExit exitFor(StreamletExecution... executions) {
    StreamletLauncher launcher = mock(StreamletLauncher.class);
    when(launcher.executions()).thenReturn(List.of(executions));
    return new TimedExit(launcher, Duration.ofMillis(10));
  }
}
