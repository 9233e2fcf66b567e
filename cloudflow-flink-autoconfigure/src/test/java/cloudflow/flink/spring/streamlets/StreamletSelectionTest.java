package cloudflow.flink.spring.streamlets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.flink.spring.properties.CloudflowProperties;
import cloudflow.flink.spring.testsupport.ReadingIngress;
import cloudflow.flink.spring.testsupport.ReadingProcessor;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link StreamletSelection}, without any Spring context. */
class StreamletSelectionTest {

  private static final Config CONFIG = ConfigFactory.parseMap(Map.of("greeting", "hello"));

  private final StreamletRegistry twoStreamlets = registry("doubler", new ReadingProcessor(), "source", new ReadingIngress());

  private final CloudflowProperties properties = new CloudflowProperties();

  StreamletSelectionTest() {
    topic("doubler", "in", "readings");
    topic("doubler", "out", "doubled");
    topic("source", "out", "readings");
  }

  @Test
  void selectsEveryStreamletInLocalMode() {
    List<StreamletDefinition> definitions = StreamletSelection.select(twoStreamlets, properties, true, "app", CONFIG);

    assertThat(definitions).extracting(StreamletDefinition::streamletRef).containsExactly("doubler", "source");
    assertThat(definitions.get(0).portMappings()).isEqualTo(Map.of("in", "readings", "out", "doubled"));
    assertThat(definitions.get(1).portMappings()).isEqualTo(Map.of("out", "readings"));
  }

  @Test
  void selectsOnlyTheChosenStreamletEvenInLocalMode() {
    properties.setStreamlet("source");

    assertThat(StreamletSelection.select(twoStreamlets, properties, true, "app", CONFIG))
        .extracting(StreamletDefinition::streamletRef)
        .containsExactly("source");
  }

  @Test
  void selectsTheOnlyStreamletWhenNoneIsChosen() {
    StreamletRegistry one = registry("source", new ReadingIngress(), null, null);
    properties.getStreamlets().remove("doubler");

    assertThat(StreamletSelection.select(one, properties, false, "app", CONFIG))
        .extracting(StreamletDefinition::streamletRef)
        .containsExactly("source");
  }

  @Test
  void treatsABlankChoiceAsNoChoice() {
    properties.setStreamlet("");

    assertThat(StreamletSelection.select(twoStreamlets, properties, true, "app", CONFIG)).hasSize(2);
  }

  @Test
  void passesApplicationIdAndConfigToEachDefinition() {
    properties.setStreamlet("doubler");

    StreamletDefinition definition = StreamletSelection.select(twoStreamlets, properties, false, "sensors", CONFIG).get(0);

    assertThat(definition.applicationId()).isEqualTo("sensors");
    assertThat(definition.config().getString("greeting")).isEqualTo("hello");
  }

  @Test
  void rejectsAnEmptyRegistry() {
    StreamletConfigurationException failure = selectFailure(new StreamletRegistry(Map.of()), true);

    assertThat(failure.getMessage()).startsWith("No streamlets found");
    assertThat(failure.getAction()).contains("Declare each streamlet as a Spring bean");
  }

  @Test
  void rejectsSeveralStreamletsWithoutAChoiceOutsideLocalMode() {
    StreamletConfigurationException failure = selectFailure(twoStreamlets, false);

    assertThat(failure.getMessage()).contains("No streamlet chosen", "doubler, source");
    assertThat(failure.getAction()).contains("--streamlet=<name>", "'local' profile", "cloudflow.local=true");
  }

  @Test
  void rejectsAnUnknownChoiceListingTheValidNames() {
    properties.setStreamlet("nope");

    StreamletConfigurationException failure = selectFailure(twoStreamlets, true);

    assertThat(failure.getMessage()).contains("Unknown streamlet 'nope'");
    assertThat(failure.getAction()).endsWith("doubler, source.");
  }

  @Test
  void namesEveryPortWithoutATopic() {
    properties.getStreamlets().clear();
    properties.setStreamlet("doubler");

    StreamletConfigurationException failure = selectFailure(twoStreamlets, false);

    assertThat(failure.getMessage())
        .contains("cloudflow.streamlets.doubler.ports.in.topic", "cloudflow.streamlets.doubler.ports.out.topic");
    assertThat(failure.getAction())
        .contains("cloudflow.streamlets.doubler.ports.in.topic and cloudflow.streamlets.doubler.ports.out.topic");
  }

  @Test
  void treatsABlankTopicAsMissing() {
    topic("doubler", "out", " ");
    properties.setStreamlet("doubler");

    assertThat(selectFailure(twoStreamlets, false).getMessage())
        .contains("cloudflow.streamlets.doubler.ports.out.topic")
        .doesNotContain("ports.in.topic");
  }

  @Test
  void ignoresMissingTopicsOfStreamletsThatAreNotSelected() {
    properties.getStreamlets().get("source").getPorts().clear();
    properties.setStreamlet("doubler");

    assertThat(StreamletSelection.select(twoStreamlets, properties, false, "app", CONFIG)).hasSize(1);
  }

  @Test
  void rejectsSettingsOfAnUnknownStreamletEvenWhenAnotherIsChosen() {
    topic("nope", "in", "readings");
    properties.setStreamlet("doubler");

    StreamletConfigurationException failure = selectFailure(twoStreamlets, false);

    assertThat(failure.getMessage()).isEqualTo("Property cloudflow.streamlets.nope names no streamlet of this application.");
    assertThat(failure.getAction()).isEqualTo("Use one of: doubler, source.");
  }

  @Test
  void rejectsSettingsOfAnUnknownPortListingThePorts() {
    topic("doubler", "input", "readings");

    StreamletConfigurationException failure = selectFailure(twoStreamlets, true);

    assertThat(failure.getMessage())
        .isEqualTo("Property cloudflow.streamlets.doubler.ports.input names no port of streamlet 'doubler'.");
    assertThat(failure.getAction()).isEqualTo("Use one of its ports: in, out.");
  }

  private StreamletConfigurationException selectFailure(StreamletRegistry registry, boolean local) {
    StreamletConfigurationException failure =
        catchThrowableOfType(
            StreamletConfigurationException.class,
            () -> StreamletSelection.select(registry, properties, local, "app", CONFIG));
    assertThat(failure).as("select() should have failed").isNotNull();
    return failure;
  }

  private void topic(String streamlet, String port, String topic) {
    CloudflowProperties.Port settings = new CloudflowProperties.Port();
    settings.setTopic(topic);
    properties.getStreamlets().computeIfAbsent(streamlet, name -> new CloudflowProperties.Streamlet()).getPorts().put(port, settings);
  }

  private static StreamletRegistry registry(String name1, FlinkStreamlet streamlet1, String name2, FlinkStreamlet streamlet2) {
    Map<String, FlinkStreamlet> streamlets = new LinkedHashMap<>();
    streamlets.put(name1, streamlet1);
    if (name2 != null) {
      streamlets.put(name2, streamlet2);
    }
    return new StreamletRegistry(streamlets);
  }
}
