package cloudflow.flink.spring.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import cloudflow.flink.spring.properties.CloudflowProperties;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/** Tests for {@link EnumPropertyFailureAnalyzer}, through the analyzers Spring Boot would ask, in their order. */
class EnumPropertyFailureAnalyzerTest {

  @Test
  void aBadBadRecordsValueListsTheDocumentedSpellings() {
    FailureAnalysis analysis = analyze(Map.of("cloudflow.streamlets.processor.ports.in.bad-records", "drop"));

    assertThat(analysis.getDescription())
        .contains("cloudflow.streamlets.processor.ports.in.bad-records 'drop'")
        .contains("is not one of: fail, skip, dead-letter")
        .doesNotContain("DEAD_LETTER");
    assertThat(analysis.getAction())
        .isEqualTo("Set cloudflow.streamlets.processor.ports.in.bad-records to one of: fail, skip, dead-letter.");
  }

  @Test
  void aBadDeliveryGuaranteeListsTheDocumentedSpellings() {
    FailureAnalysis analysis = analyze(Map.of("cloudflow.delivery-guarantee", "twice"));

    assertThat(analysis.getDescription())
        .startsWith("cloudflow.delivery-guarantee 'twice'")
        .contains("is not one of: exactly-once, at-least-once, none")
        .doesNotContain("EXACTLY_ONCE");
  }

  @Test
  void theDocumentedSpellingsBind() {
    CloudflowProperties properties = bind(Map.of(
        "cloudflow.streamlets.processor.ports.in.bad-records", "dead-letter",
        "cloudflow.delivery-guarantee", "exactly-once"));

    assertThat(properties.getStreamlets().get("processor").getPorts().get("in").getBadRecords().name())
        .isEqualTo("DEAD_LETTER");
    assertThat(properties.getDeliveryGuarantee().name()).isEqualTo("EXACTLY_ONCE");
  }

  private static CloudflowProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties)).bind("cloudflow", CloudflowProperties.class).get();
  }

  /** What Spring Boot reports: the first analysis of the registered analyzers, in their order. */
  private static FailureAnalysis analyze(Map<String, String> properties) {
    Throwable failure = catchThrowable(() -> bind(properties));
    assertThat(failure).as("binding %s", properties).isNotNull();
    List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(EnumPropertyFailureAnalyzerTest.class.getClassLoader())
        .load(FailureAnalyzer.class, null, FailureHandler.handleMessage((message, error) -> {}));
    return analyzers.stream().map(analyzer -> analyzer.analyze(failure)).filter(Objects::nonNull).findFirst().orElseThrow();
  }
}
