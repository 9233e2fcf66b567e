package cloudflow.flink.spring.command;

import cloudflow.blueprint.ApplicationDescription;
import cloudflow.blueprint.Blueprint;
import cloudflow.blueprint.BlueprintException;
import cloudflow.blueprint.BlueprintVerifier;
import cloudflow.blueprint.StreamletResolver;
import cloudflow.blueprint.VerificationResult;
import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.spring.blueprint.BlueprintLoader;
import cloudflow.flink.spring.blueprint.SpringStreamletResolver;
import cloudflow.flink.spring.deploy.ManifestsCommand;
import cloudflow.flink.spring.properties.CloudflowProperties;
import cloudflow.flink.spring.properties.StreamletCommandCondition;
import cloudflow.flink.spring.streamlets.StreamletSelection;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The commands a streamlet application runs instead of its streamlets: {@code --cloudflow.verify}
 * checks the blueprint against the shapes and {@code --cloudflow.describe} prints every streamlet
 * with its ports, schemas, config parameters and topics. Each prints text, or JSON when given
 * {@code =json}, and returns the exit code: 0 when the blueprint is valid, 1 when it is not.
 * {@code --cloudflow.manifests[=<folder>]} verifies the same way, then generates the application's
 * Kubernetes manifests ({@link ManifestsCommand}); an invalid blueprint gets the verification report.
 *
 * <p>Without a blueprint, the streamlet beans and their {@code cloudflow.streamlets.<name>.ports}
 * topics are verified as an implicit blueprint whose topics may be fed from outside.
 */
public final class StreamletCommands {

  /** The property that asks for verification. */
  public static final String VERIFY = StreamletCommandCondition.VERIFY;

  /** The property that asks for a description. */
  public static final String DESCRIBE = StreamletCommandCondition.DESCRIBE;

  /** The property that asks for Kubernetes manifests (its value: the output folder, else standard output). */
  public static final String MANIFESTS = StreamletCommandCondition.MANIFESTS;

  private final Environment environment;
  private final CloudflowProperties properties;
  private final ConfigurableListableBeanFactory beanFactory;
  private final ResourceLoader resourceLoader;
  private final ManifestsCommand manifests;

  /** Creates the commands for an application context, without {@code --cloudflow.manifests}. */
  public StreamletCommands(Environment environment, CloudflowProperties properties,
      ConfigurableListableBeanFactory beanFactory, ResourceLoader resourceLoader) {
    this(environment, properties, beanFactory, resourceLoader, null);
  }

  /** Creates the commands for an application context; {@code manifests} runs {@code --cloudflow.manifests}. */
  public StreamletCommands(Environment environment, CloudflowProperties properties,
      ConfigurableListableBeanFactory beanFactory, ResourceLoader resourceLoader, ManifestsCommand manifests) {
    this.environment = environment;
    this.properties = properties;
    this.beanFactory = beanFactory;
    this.resourceLoader = resourceLoader;
    this.manifests = manifests;
  }

  /** Runs the requested command, printing to {@code out}, and returns the exit code. */
  public int execute(PrintStream out) {
    boolean describe = environment.containsProperty(DESCRIBE);
    boolean generate = !describe && !environment.containsProperty(VERIFY) && environment.containsProperty(MANIFESTS);
    boolean json = !generate && "json".equalsIgnoreCase(environment.getProperty(describe ? DESCRIBE : VERIFY, ""));
    Blueprint blueprint;
    try {
      blueprint = BlueprintLoader.load(properties.getBlueprint(), resourceLoader).orElseGet(this::implicitBlueprint);
    } catch (BlueprintException e) {
      out.println(json ? "{\"valid\":false,\"error\":" + quote(e.getMessage()) + "}" : "Blueprint is invalid: " + e.getMessage());
      return 1;
    }
    StreamletResolver resolver = new SpringStreamletResolver(beanFactory);
    VerificationResult result = BlueprintVerifier.verify(blueprint, resolver, properties.getBlueprint().isStrict());
    if (generate && result.isValid()) {
      if (manifests == null) {
        out.println("--cloudflow.manifests is not available in this application context");
        return 1;
      }
      return manifests.execute(blueprint, out);
    }
    if (describe && result.isValid()) {
      Map<String, FlinkStreamlet> streamlets = new LinkedHashMap<>();
      blueprint.streamlets().forEach((name, beanOrClass) -> streamlets.put(name, resolver.resolve(beanOrClass)));
      ApplicationDescription description = new ApplicationDescription(streamlets, blueprint::portMappings, blueprint.topics().values());
      out.println(json ? description.toJson() : description.toText());
    } else {
      out.println(json ? result.toJson() : result.toText());
    }
    return result.isValid() ? 0 : 1;
  }

  private Blueprint implicitBlueprint() {
    Map<String, String> streamlets = new LinkedHashMap<>();
    for (String name : beanFactory.getBeanNamesForType(FlinkStreamlet.class)) {
      streamlets.put(name, name);
    }
    Map<String, List<String>> producers = new LinkedHashMap<>();
    Map<String, List<String>> consumers = new LinkedHashMap<>();
    properties.getStreamlets().forEach((key, streamlet) -> {
      // property keys from environment variables lose case and dashes: match them as the launcher does
      String name = streamlets.keySet().stream()
          .filter(bean -> StreamletSelection.normalize(bean).equals(StreamletSelection.normalize(key)))
          .findFirst()
          .orElse(key);
      FlinkStreamlet bean = beanFactory.containsBean(name) ? beanFactory.getBean(name, FlinkStreamlet.class) : null;
      streamlet.getPorts().forEach((port, settings) -> {
        if (settings.getTopic() != null) {
          boolean outlet = bean != null && bean.shape().outlets().stream().anyMatch(o -> o.name().equals(port));
          (outlet ? producers : consumers).computeIfAbsent(settings.getTopic(), t -> new ArrayList<>()).add(name + "." + port);
          (outlet ? consumers : producers).computeIfAbsent(settings.getTopic(), t -> new ArrayList<>());
        }
      });
    });
    Map<String, Blueprint.Topic> topics = new LinkedHashMap<>();
    producers.forEach((topic, writers) -> topics.put(topic,
        new Blueprint.Topic(topic, topic, writers, consumers.getOrDefault(topic, List.of()), true, 0, 0)));
    return new Blueprint(streamlets, topics);
  }

  private static String quote(String text) {
    return ConfigValueFactory.fromAnyRef(text).render(ConfigRenderOptions.concise());
  }
}
