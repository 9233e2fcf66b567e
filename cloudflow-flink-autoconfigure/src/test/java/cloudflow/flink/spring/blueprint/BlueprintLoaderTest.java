package cloudflow.flink.spring.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import cloudflow.blueprint.Blueprint;
import cloudflow.blueprint.BlueprintException;
import cloudflow.flink.spring.properties.CloudflowProperties;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;

/** Tests for {@link BlueprintLoader}: where the blueprint comes from, and what happens when it cannot be read. */
class BlueprintLoaderTest {

  private static final String SMALL_BLUEPRINT = """
      blueprint {
        streamlets { source = source, sink = sink }
        topics { readings { producers = [source.out], consumers = [sink.in] } }
      }
      """;

  @TempDir Path tempDir;

  private final CloudflowProperties.BlueprintSettings properties = new CloudflowProperties.BlueprintSettings();

  private final ResourceLoader resources = new DefaultResourceLoader(getClass().getClassLoader());

  @Test
  void buildsTheBlueprintFromProperties() {
    properties.setStreamlets(Map.of("source", "source", "sink", "com.example.Sink"));
    CloudflowProperties.TopicSettings topic = new CloudflowProperties.TopicSettings();
    topic.setProducers(List.of("source.out"));
    topic.setConsumers(List.of("sink.in"));
    topic.setPartitions(3);
    properties.setTopics(Map.of("readings", topic));

    Blueprint blueprint = BlueprintLoader.load(properties, resources).orElseThrow();

    assertThat(blueprint.streamlets()).containsExactly(Map.entry("sink", "com.example.Sink"), Map.entry("source", "source"));
    assertThat(blueprint.topics().get("readings"))
        .isEqualTo(new Blueprint.Topic("readings", "readings", List.of("source.out"), List.of("sink.in"), false, 3, 0));
  }

  @Test
  void usesTheTopicNamePropertyAsKafkaName() {
    CloudflowProperties.TopicSettings topic = new CloudflowProperties.TopicSettings();
    topic.setName("readings-v2");
    topic.setProducers(List.of("source.out"));
    topic.setExternal(true);
    properties.setTopics(Map.of("readings", topic));

    Blueprint blueprint = BlueprintLoader.load(properties, resources).orElseThrow();

    assertThat(blueprint.topics().get("readings").kafkaName()).isEqualTo("readings-v2");
    assertThat(blueprint.topics().get("readings").external()).isTrue();
    assertThat(blueprint.portMappings("source")).containsExactly(Map.entry("out", "readings-v2"));
  }

  @Test
  void prefersPropertiesToTheLocation() {
    properties.setStreamlets(Map.of("only", "only"));
    properties.setLocation("classpath:blueprints/pipeline.conf");

    assertThat(BlueprintLoader.load(properties, resources).orElseThrow().streamlets()).containsOnlyKeys("only");
    assertThat(BlueprintLoader.describeSource(properties)).isEqualTo("cloudflow.blueprint properties");
  }

  @Test
  void readsAClassPathLocation() {
    properties.setLocation("classpath:blueprints/pipeline.conf");

    Blueprint blueprint = BlueprintLoader.load(properties, resources).orElseThrow();

    assertThat(blueprint.streamlets()).containsOnlyKeys("copier", "fast", "slow");
    assertThat(blueprint.portMappings("copier")).containsExactly(Map.entry("out", "copies-v1"), Map.entry("in", "readings"));
    assertThat(BlueprintLoader.describeSource(properties)).isEqualTo("classpath:blueprints/pipeline.conf");
  }

  @Test
  void readsAPlainFilePath() throws IOException {
    Path file = Files.writeString(tempDir.resolve("app.conf"), SMALL_BLUEPRINT);
    properties.setLocation(file.toString());

    assertThat(BlueprintLoader.load(properties, resources).orElseThrow().streamlets()).containsOnlyKeys("sink", "source");
  }

  @Test
  void readsAFileUrl() throws IOException {
    Path file = Files.writeString(tempDir.resolve("app.conf"), SMALL_BLUEPRINT);
    properties.setLocation(file.toUri().toString());

    assertThat(BlueprintLoader.load(properties, resources).orElseThrow().streamlets()).containsOnlyKeys("sink", "source");
  }

  @Test
  void readsBlueprintConfAtTheRootOfTheClassPathWhenNoLocationIsSet() throws IOException {
    Files.writeString(tempDir.resolve("blueprint.conf"), SMALL_BLUEPRINT);
    try (URLClassLoader classLoader = new URLClassLoader(new URL[] {tempDir.toUri().toURL()}, null)) {
      Optional<Blueprint> blueprint = BlueprintLoader.load(properties, new DefaultResourceLoader(classLoader));

      assertThat(blueprint).map(Blueprint::streamlets).hasValueSatisfying(s -> assertThat(s).containsOnlyKeys("sink", "source"));
      assertThat(BlueprintLoader.describeSource(properties)).isEqualTo("classpath:blueprint.conf");
    }
  }

  @Test
  void findsNoBlueprintWhenNothingIsConfiguredAndNoBlueprintConfExists() {
    assertThat(BlueprintLoader.load(properties, resources)).isEmpty();
  }

  @Test
  void failsNamingTheLocationPropertyWhenTheLocationDoesNotExist() {
    properties.setLocation("classpath:blueprints/missing.conf");

    assertThatExceptionOfType(BlueprintException.class)
        .isThrownBy(() -> BlueprintLoader.load(properties, resources))
        .withMessage("Blueprint classpath:blueprints/missing.conf (cloudflow.blueprint.location) does not exist");
  }

  @Test
  void failsWhenAFilePathDoesNotExist() {
    String location = tempDir.resolve("missing.conf").toString();
    properties.setLocation(location);

    assertThatExceptionOfType(BlueprintException.class)
        .isThrownBy(() -> BlueprintLoader.load(properties, resources))
        .withMessageContaining(location)
        .withMessageContaining("(cloudflow.blueprint.location) does not exist");
  }

  @Test
  void failsNamingTheLocationWhenTheFileIsNotHocon() {
    properties.setLocation("classpath:blueprints/malformed.conf");

    assertThatExceptionOfType(BlueprintException.class)
        .isThrownBy(() -> BlueprintLoader.load(properties, resources))
        .withMessageStartingWith("Cannot read blueprint classpath:blueprints/malformed.conf: ");
  }

  @Test
  void failsWhenTheFileHasNoBlueprintObject() {
    properties.setLocation("classpath:blueprints/no-blueprint.conf");

    assertThatExceptionOfType(BlueprintException.class)
        .isThrownBy(() -> BlueprintLoader.load(properties, resources))
        .withMessageContaining("No blueprint at 'blueprint'");
  }
}
