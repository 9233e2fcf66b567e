package cloudflow.flink.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.StreamletControlException;
import cloudflow.flink.StreamletExecution;
import cloudflow.flink.plan.RestoreSettings;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.runtime.StreamletJobs;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import cloudflow.flink.spring.testsupport.ReadingIngress;
import cloudflow.flink.spring.testsupport.ReadingProcessor;
import cloudflow.flink.spring.testsupport.StubExecution;
import cloudflow.flink.spring.testsupport.TestRunners;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** Tests for {@link StreamletLauncher}, with a runner that submits no Flink job. */
class StreamletLauncherTest {

  private final ReadingProcessor doubler = new ReadingProcessor();

  private final ReadingIngress source = new ReadingIngress();

  private final StreamletRegistry registry = registry();

  private final StreamletJobs runner = TestRunners.nonSubmitting();

  private final List<StreamletDefinition> definitions =
      List.of(definition("doubler", Map.of("in", "readings", "out", "doubled")), definition("source", Map.of("out", "readings")));

  @Test
  void submitsNothingBeforeStart() {
    StreamletLauncher launcher = new StreamletLauncher(registry, definitions, runner, Duration.ofSeconds(1));

    assertThat(launcher.isRunning()).isFalse();
    assertThat(launcher.executions()).isEmpty();
    assertThat(launcher.definitions()).isEqualTo(definitions);
    verifyNoInteractions(runner);
  }

  @Test
  void runsEachDefinitionWithItsStreamletOnStart() {
    StreamletLauncher launcher = new StreamletLauncher(registry, definitions, runner, Duration.ofSeconds(1));

    launcher.start();

    assertThat(launcher.isRunning()).isTrue();
    assertThat(launcher.executions()).extracting(StreamletExecution::streamletRef).containsExactly("doubler", "source");
    Mockito.verify(runner).run(doubler, definitions.get(0));
    Mockito.verify(runner).run(source, definitions.get(1));
  }

  @Test
  void stopsEveryExecutionOnStop() {
    StreamletLauncher launcher = new StreamletLauncher(registry, definitions, runner, Duration.ofSeconds(1));
    launcher.start();

    launcher.stop();

    assertThat(launcher.isRunning()).isFalse();
    assertThat(launcher.executions()).extracting(StreamletExecution::status).containsOnly(JobStatus.FINISHED);
  }

  @Test
  void stopsTheJobsSubmittedAheadWhenStoppedWhileTheContextStartsAndThenStartsNothing() {
    StubExecution submittedAhead = new StubExecution("doubler");
    when(runner.takeSubmittedAhead(any(Duration.class))).thenReturn(List.of(submittedAhead));
    StreamletLauncher launcher = new StreamletLauncher(registry, definitions, runner, Duration.ofSeconds(1));

    launcher.stop(); // a SIGTERM during startup

    assertThat(submittedAhead.status()).isEqualTo(JobStatus.FINISHED);
    launcher.start();
    assertThat(launcher.executions()).isEmpty();
    Mockito.verify(runner, Mockito.never()).run(any(FlinkStreamlet.class), any(StreamletDefinition.class));
  }

  @Test
  void aFailedStartStopsTheJobsSubmittedAheadWithoutWaitingForPreparationsUnderWay() {
    StreamletJobs failingRunner = mock(StreamletJobs.class);
    when(failingRunner.run(any(FlinkStreamlet.class), any(StreamletDefinition.class)))
        .thenThrow(new IllegalStateException("refused"));
    StubExecution submittedAhead = new StubExecution("source");
    when(failingRunner.takeSubmittedAhead(any(Duration.class))).thenReturn(List.of(submittedAhead));
    StreamletLauncher launcher = new StreamletLauncher(registry, definitions, failingRunner, Duration.ofSeconds(30));

    assertThatThrownBy(launcher::start).hasMessage("refused");

    Mockito.verify(failingRunner).takeSubmittedAhead(Duration.ZERO);
    assertThat(submittedAhead.status()).isEqualTo(JobStatus.FINISHED);
  }

  @Test
  void givesUpWaitingForExecutionsAfterTheShutdownTimeout() {
    StreamletJobs hangingRunner = mock(StreamletJobs.class);
    when(hangingRunner.run(any(FlinkStreamlet.class), any(StreamletDefinition.class))).thenReturn(new NeverStopping("doubler"));
    StreamletLauncher launcher =
        new StreamletLauncher(registry, definitions.subList(0, 1), hangingRunner, Duration.ofMillis(100));
    launcher.start();

    long started = System.nanoTime();
    launcher.stop();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(launcher.isRunning()).isFalse();
  }

  @Test
  void startsAndStopsWithoutDefinitions() {
    StreamletLauncher launcher = new StreamletLauncher(registry, List.of(), runner, Duration.ofSeconds(1));

    launcher.start();
    launcher.stop();

    assertThat(launcher.executions()).isEmpty();
    verifyNoInteractions(runner);
  }

  @Test
  void suspendsOnceAndResumesFromTheNewestPointNotTheFirstRunsRestoreFrom() {
    StreamletDefinition chosen = definitions.get(0).withRestore(new RestoreSettings("file:///sp/savepoint-1", true, true));
    StreamletLauncher launcher = new StreamletLauncher(registry, List.of(chosen), runner, Duration.ofSeconds(1));
    launcher.start();
    StreamletExecution first = launcher.execution("doubler");

    StreamletExecution suspended = launcher.suspend("doubler");

    assertThat(first.status()).as("the job was stopped").isEqualTo(JobStatus.FINISHED);
    assertThat(suspended.status()).isEqualTo(JobStatus.SUSPENDED);
    assertThat(suspended.running()).isFalse();
    assertThat(suspended.describe()).startsWith("SUSPENDED by an operator").contains("\"action\":\"resume\"");
    assertThat(launcher.suspend("doubler")).as("suspending twice").isSameAs(suspended);
    assertThatThrownBy(() -> launcher.savepoint("doubler")).isInstanceOf(StreamletControlException.Conflict.class)
        .hasMessageContaining("suspended").hasMessageContaining("resume it first");

    StreamletExecution resumed = launcher.resume("doubler");

    assertThat(resumed.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(launcher.executions()).containsExactly(resumed);
    assertThat(launcher.resume("doubler")).as("resuming a running streamlet").isSameAs(resumed);
    Mockito.verify(runner).run(doubler, chosen.withRestore(new RestoreSettings(null, true, true)));
  }

  @Test
  void restartsAStreamletInAnyStateButResumesOnlyASuspendedOne() {
    StreamletLauncher launcher = new StreamletLauncher(registry, definitions, runner, Duration.ofSeconds(1));
    launcher.start();
    StreamletExecution first = launcher.execution("source");
    first.stop();

    assertThatThrownBy(() -> launcher.resume("source")).isInstanceOf(StreamletControlException.Conflict.class)
        .hasMessageContaining("restart it instead");
    assertThatThrownBy(() -> launcher.suspend("source")).isInstanceOf(StreamletControlException.Conflict.class);

    StreamletExecution restarted = launcher.restart("source");

    assertThat(restarted).isNotSameAs(first);
    assertThat(launcher.execution("source")).isSameAs(restarted);
    assertThat(restarted.status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void refusesUnknownStreamletsAndActionsBeforeStartOrAfterStop() {
    StreamletLauncher launcher = new StreamletLauncher(registry, definitions, runner, Duration.ofSeconds(1));

    assertThatThrownBy(() -> launcher.suspend("doubler")).isInstanceOf(StreamletControlException.Conflict.class)
        .hasMessageContaining("not submitted yet");
    assertThatThrownBy(() -> launcher.execution("nope")).isInstanceOf(StreamletControlException.UnknownStreamlet.class)
        .hasMessageContaining("[doubler, source]");
    launcher.start();
    launcher.stop();
    assertThatThrownBy(() -> launcher.restart("doubler")).isInstanceOf(StreamletControlException.Conflict.class)
        .hasMessageContaining("stopping");
  }

  @Test
  void aStopWhileARestartWaitsForItsJobSubmitsNoNewJob() throws Exception {
    StoppingOnCue job = new StoppingOnCue("doubler");
    StreamletJobs jobs = mock(StreamletJobs.class);
    when(jobs.run(any(FlinkStreamlet.class), any(StreamletDefinition.class))).thenReturn(job);
    StreamletLauncher launcher = new StreamletLauncher(registry, definitions.subList(0, 1), jobs, Duration.ofSeconds(30));
    launcher.start();

    CompletableFuture<StreamletExecution> restart = CompletableFuture.supplyAsync(() -> launcher.restart("doubler"));
    assertThat(job.stopAsked.await(10, TimeUnit.SECONDS)).as("the restart stops the job").isTrue();
    CompletableFuture<Void> stop = CompletableFuture.runAsync(launcher::stop);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (launcher.isRunning() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(launcher.isRunning()).as("stopping, while the restart holds the launcher").isFalse();
    job.stopped.complete(null);

    assertThatThrownBy(() -> restart.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StreamletControlException.Conflict.class)
        .hasMessageContaining("The application is stopping: streamlet 'doubler' is not submitted again");
    stop.get(10, TimeUnit.SECONDS);
    Mockito.verify(jobs, Mockito.times(1)).run(any(FlinkStreamlet.class), any(StreamletDefinition.class));
  }

  @Test
  void aStreamletWhoseStopThrowsDoesNotKeepTheOthersRunning() {
    StreamletExecution throwing = new NeverStopping("doubler") {
      @Override
      public CompletableFuture<Void> stop() {
        throw new IllegalStateException("the cluster is gone");
      }
    };
    StubExecution other = new StubExecution("source");
    StreamletJobs jobs = mock(StreamletJobs.class);
    when(jobs.run(any(FlinkStreamlet.class), any(StreamletDefinition.class))).thenReturn(throwing, other);
    StreamletLauncher launcher = new StreamletLauncher(registry, definitions, jobs, Duration.ofSeconds(1));
    launcher.start();

    launcher.stop();

    assertThat(other.status()).isEqualTo(JobStatus.FINISHED);
    assertThat(launcher.isRunning()).isFalse();
  }

  private StreamletRegistry registry() {
    Map<String, FlinkStreamlet> streamlets = new LinkedHashMap<>();
    streamlets.put("doubler", doubler);
    streamlets.put("source", source);
    return new StreamletRegistry(streamlets);
  }

  private static StreamletDefinition definition(String name, Map<String, String> ports) {
    return new StreamletDefinition("app", name, ports, ConfigFactory.empty());
  }

  /** An execution whose stop never completes. */
  private static class NeverStopping implements StreamletExecution {

    private final StubExecution delegate;

    NeverStopping(String streamletRef) {
      this.delegate = new StubExecution(streamletRef);
    }

    @Override
    public String streamletRef() {
      return delegate.streamletRef();
    }

    @Override
    public JobStatus status() {
      return delegate.status();
    }

    @Override
    public CompletableFuture<Void> ready() {
      return delegate.ready();
    }

    @Override
    public CompletableFuture<Void> completed() {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Void> stop() {
      return new CompletableFuture<>();
    }
  }

  /** An execution whose stop completes when the test says so. */
  private static final class StoppingOnCue extends NeverStopping {

    final CountDownLatch stopAsked = new CountDownLatch(1);
    final CompletableFuture<Void> stopped = new CompletableFuture<>();

    StoppingOnCue(String streamletRef) {
      super(streamletRef);
    }

    @Override
    public CompletableFuture<Void> completed() {
      return stopped;
    }

    @Override
    public CompletableFuture<Void> stop() {
      stopAsked.countDown();
      return stopped;
    }
  }
}
