package cloudflow.flink.spring.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a {@link StreamletConfigurationException} as a startup failure with what to do about it. */
public class StreamletConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<StreamletConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StreamletConfigurationException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
  }
}
