package cloudflow.flink.spring.testsupport;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.runtime.StreamletJobs;

/** {@link StreamletJobs} for tests that must not submit Flink jobs. */
public final class TestRunners {

  private TestRunners() {}

  /**
   * A runner that submits nothing: each {@code run} returns a {@link StubExecution} for the
   * definition's streamlet. Use {@code Mockito.verify} on it to see what the launcher ran.
   */
  public static StreamletJobs nonSubmitting() {
    StreamletJobs runner = mock(StreamletJobs.class);
    when(runner.run(any(FlinkStreamlet.class), any(StreamletDefinition.class)))
        .thenAnswer(invocation -> new StubExecution(invocation.<StreamletDefinition>getArgument(1).streamletRef()));
    return runner;
  }
}
