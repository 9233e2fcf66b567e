package cloudflow.flink.spring.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/** Tests for {@link StreamletConfigurationFailureAnalyzer}. */
class StreamletConfigurationFailureAnalyzerTest {

  private final StreamletConfigurationFailureAnalyzer analyzer = new StreamletConfigurationFailureAnalyzer();

  @Test
  void describesAWrappedStreamletConfigurationException() {
    StreamletConfigurationException cause =
        new StreamletConfigurationException("Unknown streamlet 'nope'.", "Choose one of: doubler, source.");
    BeanCreationException failure = new BeanCreationException("streamletLauncher", "Error creating bean", cause);

    FailureAnalysis analysis = analyzer.analyze(failure);

    assertThat(analysis).isNotNull();
    assertThat(analysis.getDescription()).isEqualTo("Unknown streamlet 'nope'.");
    assertThat(analysis.getAction()).isEqualTo("Choose one of: doubler, source.");
    assertThat(analysis.getCause()).isSameAs(cause);
  }

  @Test
  void describesAnExceptionNestedSeveralLevelsDeep() {
    StreamletConfigurationException cause =
        new StreamletConfigurationException("Streamlet 'doubler' has ports without a Kafka topic", "Set the topics.");
    RuntimeException failure =
        new IllegalStateException("refresh failed", new BeanCreationException("outer", "wrapped", new BeanCreationException("inner", "wrapped", cause)));

    FailureAnalysis analysis = analyzer.analyze(failure);

    assertThat(analysis.getDescription()).isEqualTo("Streamlet 'doubler' has ports without a Kafka topic");
    assertThat(analysis.getAction()).isEqualTo("Set the topics.");
  }

  @Test
  void ignoresOtherFailures() {
    assertThat(analyzer.analyze(new BeanCreationException("other", "Error creating bean", new IllegalStateException("x"))))
        .isNull();
  }

  @Test
  void keepsTheUnderlyingCauseOfTheException() {
    IllegalArgumentException shapeError = new IllegalArgumentException("Invalid port name");
    StreamletConfigurationException exception = new StreamletConfigurationException("bad shape", "fix it", shapeError);

    assertThat(exception).hasCause(shapeError).hasMessage("bad shape");
    assertThat(exception.getAction()).isEqualTo("fix it");
    assertThat(new StreamletConfigurationException("no cause", "act").getCause()).isNull();
  }

  @Test
  void isRegisteredAsAFailureAnalyzer() {
    List<FailureAnalyzer> analyzers =
        SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
            .load(FailureAnalyzer.class, null, FailureHandler.handleMessage((message, failure) -> {}));

    assertThat(analyzers).hasAtLeastOneElementOfType(StreamletConfigurationFailureAnalyzer.class);
  }
}
