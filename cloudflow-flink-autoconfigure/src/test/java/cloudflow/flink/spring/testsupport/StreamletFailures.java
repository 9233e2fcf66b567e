package cloudflow.flink.spring.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

/** Finds the {@link StreamletConfigurationException} behind a failed application context. */
public final class StreamletFailures {

  private StreamletFailures() {}

  /**
   * The {@link StreamletConfigurationException} in the cause chain of the context's startup failure.
   * Fails the test when the context started or failed for another reason.
   */
  public static StreamletConfigurationException configurationFailure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    Throwable failure = context.getStartupFailure();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StreamletConfigurationException e) {
        return e;
      }
    }
    throw new AssertionError("Expected a StreamletConfigurationException in the cause chain", failure);
  }
}
