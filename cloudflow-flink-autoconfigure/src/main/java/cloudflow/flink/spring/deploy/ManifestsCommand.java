package cloudflow.flink.spring.deploy;

import cloudflow.blueprint.Blueprint;
import cloudflow.flink.spring.properties.CloudflowProperties;
import cloudflow.flink.spring.properties.StreamletCommandCondition;
import cloudflow.flink.spring.streamlets.StreamletSelection;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * {@code --cloudflow.manifests[=<folder>]}: the Kubernetes manifests of every streamlet of a verified
 * blueprint, printed to standard output or written to a folder (a file per streamlet and one for the
 * shared objects; earlier generated files that are no longer generated are removed). The Spring side
 * of the generator: it reads the application's settings and hands plain values to
 * {@link ManifestGenerator}.
 */
public final class ManifestsCommand {

  /** The property that asks for manifests; its value, if any, is the output folder. */
  public static final String MANIFESTS = StreamletCommandCondition.MANIFESTS;

  private final ConfigurableEnvironment environment;
  private final CloudflowProperties properties;
  private final DeploymentSettings settings;
  private final ConfigurableListableBeanFactory beanFactory;

  /** Creates the command over the application's settings. */
  public ManifestsCommand(ConfigurableEnvironment environment, CloudflowProperties properties, DeploymentSettings settings,
      ConfigurableListableBeanFactory beanFactory) {
    this.environment = environment;
    this.properties = properties;
    this.settings = settings;
    this.beanFactory = beanFactory;
  }

  /** Generates the manifests of a blueprint that passed verification; returns the exit code. */
  public int execute(Blueprint blueprint, PrintStream out) {
    List<ManifestGenerator.ManifestFile> files;
    try {
      files = new ManifestGenerator(settings, application()).generate(streamlets(blueprint));
    } catch (InvalidDeploymentSettingsException e) {
      out.println("Deployment settings are invalid: " + e.getMessage());
      return 1;
    }
    String folder = environment.getProperty(MANIFESTS, "");
    if (!StringUtils.hasText(folder) || folder.equals("true")) {
      files.forEach(file -> out.print(file.yaml()));
      return 0;
    }
    try {
      write(Path.of(folder), files);
    } catch (IOException | UncheckedIOException e) {
      out.println("Cannot write the manifests to " + folder + ": " + e.getMessage());
      return 1;
    }
    out.println("Wrote " + files.size() + " files to " + folder + ": "
        + String.join(", ", files.stream().map(ManifestGenerator.ManifestFile::name).toList()));
    return 0;
  }

  private static void write(Path folder, List<ManifestGenerator.ManifestFile> files) throws IOException {
    Files.createDirectories(folder);
    Set<String> names = Set.copyOf(files.stream().map(ManifestGenerator.ManifestFile::name).toList());
    try (Stream<Path> existing = Files.list(folder)) {
      for (Path stale : existing.filter(p -> p.toString().endsWith(".yaml") && !names.contains(p.getFileName().toString())).toList()) {
        // only our own earlier output: a file someone wrote by hand stays
        List<String> lines = Files.readAllLines(stale, StandardCharsets.UTF_8);
        if (!lines.isEmpty() && lines.get(0).startsWith("# " + ManifestGenerator.GENERATED_MARK)) {
          Files.delete(stale);
        }
      }
    }
    for (ManifestGenerator.ManifestFile file : files) {
      Files.writeString(folder.resolve(file.name()), file.yaml(), StandardCharsets.UTF_8);
    }
  }

  private ApplicationFacts application() {
    String id = StringUtils.hasText(properties.getApplicationId())
        ? properties.getApplicationId() : environment.getProperty("spring.application.name", "cloudflow-app");
    return new ApplicationFacts(id, mainClass(), kafkaEnv(), List.of(environment.getActiveProfiles()),
        properties.getShutdownTimeout());
  }

  private String mainClass() {
    for (String name : beanFactory.getBeanNamesForAnnotation(SpringBootConfiguration.class)) {
      Class<?> type = beanFactory.getType(name);
      if (type != null) {
        return ClassUtils.getUserClass(type).getName();
      }
    }
    return null;
  }

  /**
   * The application's {@code spring.kafka.*} settings as environment variables, from every property
   * source (files, profiles, arguments, environment), leaving out anything that looks like a secret.
   */
  private Map<String, String> kafkaEnv() {
    Map<String, String> env = new TreeMap<>();
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
        continue;
      }
      for (String name : enumerable.getPropertyNames()) {
        if (ResolvedSettings.SECRET_NAME.matcher(name).matches()) {
          continue;
        }
        if (name.startsWith("spring.kafka.")) {
          String value = environment.getProperty(name);
          if (value != null) {
            env.putIfAbsent(envName(name), value);
          }
        } else if (name.startsWith("SPRING_KAFKA_") && enumerable.getProperty(name) != null) {
          env.putIfAbsent(name, String.valueOf(enumerable.getProperty(name)));
        }
      }
    }
    return env;
  }

  /** The environment variable Spring Boot binds to a property: spring.kafka.properties[sasl.mechanism] → SPRING_KAFKA_PROPERTIES_SASL_MECHANISM. */
  static String envName(String property) {
    return property.replace("[", ".").replace("]", "").replace("-", "").replace('.', '_').toUpperCase(java.util.Locale.ROOT);
  }

  private List<StreamletFacts> streamlets(Blueprint blueprint) {
    List<StreamletFacts> facts = new ArrayList<>();
    for (String name : blueprint.streamlets().keySet()) {
      CloudflowProperties.Streamlet own = properties.getStreamlets().entrySet().stream()
          .filter(e -> StreamletSelection.normalize(e.getKey()).equals(StreamletSelection.normalize(name)))
          .map(Map.Entry::getValue).findFirst().orElseGet(CloudflowProperties.Streamlet::new);
      CloudflowProperties.Checkpointing global = properties.getCheckpointing();
      Integer parallelism = own.getParallelism();
      if (parallelism == null) {
        String fallback = properties.getFlink().get("parallelism.default");
        parallelism = fallback == null ? 1 : Integer.parseInt(fallback.trim());
      }
      Duration interval = own.getCheckpointing().getInterval() != null ? own.getCheckpointing().getInterval() : global.getInterval();
      String backend = own.getCheckpointing().getStateBackend() != null ? own.getCheckpointing().getStateBackend() : global.getStateBackend();
      Integer retained = own.getCheckpointing().getRetained() != null ? own.getCheckpointing().getRetained() : global.getRetained();
      DeliveryGuarantee guarantee = own.getDeliveryGuarantee() != null ? own.getDeliveryGuarantee() : properties.getDeliveryGuarantee();
      facts.add(new StreamletFacts(name, parallelism, interval, backend, retained, guarantee == DeliveryGuarantee.EXACTLY_ONCE));
    }
    return facts;
  }
}
