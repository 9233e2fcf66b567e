package cloudflow.flink.spring.blueprint;

import cloudflow.blueprint.Blueprint;
import cloudflow.blueprint.BlueprintException;
import cloudflow.flink.plan.TopicSettings;
import cloudflow.flink.spring.properties.CloudflowProperties;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * Finds the application's blueprint: {@code cloudflow.blueprint.streamlets/topics} properties when
 * set, else the file at {@code cloudflow.blueprint.location}, else {@code blueprint.conf} at the root
 * of the class path, else none (streamlets are then the beans, connected by port properties).
 */
public final class BlueprintLoader {

  /** The blueprint used when no location is set, if it exists. */
  public static final String DEFAULT_LOCATION = "classpath:blueprint.conf";

  private BlueprintLoader() {}

  /**
   * The blueprint, if the application has one.
   *
   * @throws BlueprintException when a configured location cannot be read or is not a blueprint
   */
  public static Optional<Blueprint> load(CloudflowProperties.BlueprintSettings properties, ResourceLoader resources) {
    if (!properties.getStreamlets().isEmpty() || !properties.getTopics().isEmpty()) {
      return Optional.of(fromProperties(properties));
    }
    String location = properties.getLocation();
    if (!StringUtils.hasText(location)) {
      Resource resource = resources.getResource(DEFAULT_LOCATION);
      return resource.exists() ? Optional.of(read(resource, DEFAULT_LOCATION)) : Optional.empty();
    }
    Resource resource = resources.getResource(location.contains(":") ? location : "file:" + location);
    if (!resource.exists()) {
      throw new BlueprintException("Blueprint " + location + " (cloudflow.blueprint.location) does not exist");
    }
    return Optional.of(read(resource, location));
  }

  /** Where the blueprint comes from, for messages. */
  public static String describeSource(CloudflowProperties.BlueprintSettings properties) {
    if (!properties.getStreamlets().isEmpty() || !properties.getTopics().isEmpty()) {
      return "cloudflow.blueprint properties";
    }
    return StringUtils.hasText(properties.getLocation()) ? properties.getLocation() : DEFAULT_LOCATION;
  }

  private static Blueprint read(Resource resource, String location) {
    try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
      return Blueprint.fromConfig(ConfigFactory.parseReader(reader).resolve(), "blueprint");
    } catch (IOException | com.typesafe.config.ConfigException e) {
      throw new BlueprintException("Cannot read blueprint " + location + ": " + e.getMessage(), e);
    }
  }

  /** A topic's settings from properties, with the blueprint file's names and defaults. */
  private static TopicSettings settings(String key, CloudflowProperties.TopicSettings topic) {
    Map<String, String> configs = new TreeMap<>(topic.getTopic());
    // Cloudflow's topic.name lives among the topic configs; the name property wins
    String configuredName = configs.remove("name");
    String name = StringUtils.hasText(topic.getName()) ? topic.getName()
        : StringUtils.hasText(configuredName) ? configuredName : key;
    try {
      return new TopicSettings(key, name, topic.getCluster(), topic.isManaged(), topic.getPartitions(),
          topic.getReplicas(), configs, topic.getProducerConfig(), topic.getConsumerConfig(), topic.getConnectionConfig());
    } catch (IllegalArgumentException e) {
      throw new BlueprintException("Invalid topic cloudflow.blueprint.topics." + key + ": " + e.getMessage(), e);
    }
  }

  private static Blueprint fromProperties(CloudflowProperties.BlueprintSettings properties) {
    Map<String, Blueprint.Topic> topics = new LinkedHashMap<>();
    properties.getTopics().forEach((key, topic) -> topics.put(key, new Blueprint.Topic(
        key, topic.getProducers(), topic.getConsumers(), topic.isExternal(), settings(key, topic))));
    return new Blueprint(properties.getStreamlets(), topics);
  }
}
