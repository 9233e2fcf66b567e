package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.kafka.KafkaClusters;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.runtime.ExecutionTarget;
import cloudflow.flink.runtime.JobJars;
import cloudflow.flink.runtime.ProcessTempDirectory;
import cloudflow.flink.runtime.StreamletJobs;
import cloudflow.flink.runtime.StreamletRunner;
import cloudflow.flink.spring.blueprint.BlueprintLoader;
import cloudflow.flink.spring.blueprint.SpringStreamletResolver;
import cloudflow.flink.spring.config.CheckpointDirectories;
import cloudflow.flink.spring.config.EnvironmentConfigFactory;
import cloudflow.flink.spring.config.FlinkConfigurationCustomizer;
import cloudflow.flink.spring.config.FlinkConfigurationFactory;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.flink.spring.kafka.EmbeddedKafkaAutoConfiguration;
import cloudflow.flink.spring.kafka.KafkaSettingsFactory;
import cloudflow.flink.spring.properties.CloudflowProperties;
import cloudflow.flink.spring.properties.StreamletCommandCondition;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import cloudflow.flink.spring.streamlets.StreamletSelection;
import java.net.URI;
import org.springframework.boot.context.properties.bind.Binder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.system.ApplicationHome;
import org.apache.flink.configuration.Configuration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * Runs the application's streamlets: takes them from the blueprint (verified against their shapes)
 * or, without one, from the {@link FlinkStreamlet} beans; selects the streamlet(s) to run, checks
 * their topics and config parameters, and submits each as a Flink job when the context starts. Every
 * bean backs off when the application defines its own.
 */
@AutoConfiguration(after = {KafkaAutoConfiguration.class, EmbeddedKafkaAutoConfiguration.class})
// first among the auto-configurations its dependencies allow: the launcher starts the local Flink
// clusters in the background as soon as it exists, and beans are created in the order they are defined
@AutoConfigureOrder(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnClass({FlinkStreamlet.class, StreamletRunner.class})
@Conditional(StreamletCommandCondition.Not.class)
@EnableConfigurationProperties(CloudflowProperties.class)
public final class CloudflowFlinkAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CloudflowFlinkAutoConfiguration.class);

  // static: a bean factory post-processor, run before any bean (web server, embedded broker) is created
  @Bean
  static StreamletChoiceCheck cloudflowStreamletChoiceCheck() {
    return new StreamletChoiceCheck();
  }

  // static too: it orders bean creation, so that the jobs' preparation starts before the web server's
  @Bean
  static LauncherBeforeWebServer cloudflowLauncherBeforeWebServer() {
    return new LauncherBeforeWebServer();
  }

  @Bean
  @ConditionalOnMissingBean
  StreamletRegistry streamletRegistry(
      ConfigurableListableBeanFactory beanFactory, CloudflowProperties properties, ResourceLoader resourceLoader) {
    CloudflowProperties.BlueprintSettings settings = properties.getBlueprint();
    return BlueprintLoader.load(settings, resourceLoader)
        .map(blueprint -> StreamletRegistry.fromBlueprint(
            blueprint, BlueprintLoader.describeSource(settings), new SpringStreamletResolver(beanFactory), settings.isStrict()))
        .orElseGet(() -> new StreamletRegistry(beanFactory.getBeansOfType(FlinkStreamlet.class)));
  }

  @Bean
  @ConditionalOnMissingBean
  KafkaSettings cloudflowKafkaSettings(KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails) {
    return KafkaSettingsFactory.create(kafkaProperties, connectionDetails);
  }

  // the default cluster is the KafkaSettings bean, so an application's own KafkaSettings still wins for it
  @Bean
  @ConditionalOnMissingBean
  KafkaClusters cloudflowKafkaClusters(
      KafkaSettings kafkaSettings, CloudflowProperties properties, ConfigurableEnvironment environment) {
    return KafkaSettingsFactory.createClusters(kafkaSettings, properties.getKafka().getClusters(), Binder.get(environment));
  }

  // backs off from any StreamletJobs of the application's, a StreamletRunner or not
  @Bean
  @ConditionalOnMissingBean(StreamletJobs.class)
  StreamletRunner streamletRunner(
      KafkaClusters kafkaClusters,
      CloudflowProperties properties,
      ObjectProvider<FlinkConfigurationCustomizer> customizers,
      ConfigurableListableBeanFactory beanFactory,
      StreamletRegistry registry) {
    Map<String, String> settings = new LinkedHashMap<>(properties.getCheckpointing().toFlinkSettings());
    settings.putAll(properties.getFlink());
    ExecutionTarget target = executionTarget(properties.getCluster(), registry);
    Map<String, String> localDefaults = new LinkedHashMap<>();
    // held until the runner, which holds it for its local clusters, exists
    ProcessTempDirectory temporary = ProcessTempDirectory.acquire();
    try {
      if (target.isLocal() && !settings.containsKey(CheckpointDirectories.KEY)) {
        // a cluster elsewhere cannot see this process's disk: there the directory is the cluster's or set explicitly
        // the bean name is a compile-time constant: no class of the optional embedded broker is loaded
        boolean embeddedBroker = beanFactory.containsBeanDefinition(EmbeddedKafkaAutoConfiguration.BROKER_BEAN_NAME);
        localDefaults.put(CheckpointDirectories.KEY, CheckpointDirectories.defaultDirectory(embeddedBroker, temporary));
      }
      return new StreamletRunner(kafkaClusters,
          FlinkConfigurationFactory.create(CheckpointDirectories.normalize(settings), customizers.orderedStream().toList()),
          Configuration.fromMap(localDefaults),
          target).settingNames(StreamletSelection.PROPERTY_NAMES);
    } finally {
      temporary.release();
    }
  }

  private static ExecutionTarget executionTarget(CloudflowProperties.Cluster cluster, StreamletRegistry registry) {
    String address = cluster.getAddress();
    if (!StringUtils.hasText(address)) {
      // Flink's application-mode job manager (or flink run) runs this main: the job goes to that cluster
      return ExecutionTarget.insideFlinkCluster() ? ExecutionTarget.flinkCluster() : ExecutionTarget.local();
    }
    URI uri = URI.create(address.contains("://") ? address : "http://" + address);
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new StreamletConfigurationException(
          "cloudflow.cluster.address '" + address + "' is not a host:port address.",
          "Set cloudflow.cluster.address to the REST address of the Flink job manager, for example flink-jobmanager:8081.");
    }
    // the streamlets are application classes: their code source is the application to ship
    Class<?> applicationClass = registry.isEmpty()
        ? CloudflowFlinkAutoConfiguration.class
        : registry.streamlet(registry.names().iterator().next()).getClass();
    return ExecutionTarget.remote(uri.getHost(), uri.getPort(), JobJars.of(applicationClass, cluster.getJarCache()));
  }

  @Bean
  @ConditionalOnMissingBean
  StreamletLauncher streamletLauncher(
      StreamletRegistry registry,
      StreamletJobs runner,
      CloudflowProperties properties,
      ConfigurableEnvironment environment,
      ObjectProvider<KafkaClusters> kafkaClusters,
      ConfigurableListableBeanFactory beanFactory) {
    boolean local = properties.isLocal() || environment.matchesProfiles("local");
    List<StreamletDefinition> definitions =
        StreamletSelection.select(
            registry, properties, local, applicationId(properties, environment), EnvironmentConfigFactory.create(environment));
    // a topic on a cluster nobody configured stops startup here, before any Flink cluster starts
    kafkaClusters.ifAvailable(clusters -> definitions.forEach(
        definition -> definition.topics().values().forEach(clusters::cluster)));
    if (beanFactory.containsBeanDefinition(EmbeddedKafkaAutoConfiguration.BROKER_BEAN_NAME)) {
      warnAboutInletsNobodyFeeds(registry, definitions);
    }
    return new StreamletLauncher(registry, definitions, runner, properties.getShutdownTimeout());
  }

  /**
   * With the embedded broker, a topic lives only in this JVM: an inlet whose topic no streamlet of
   * this JVM writes never sees a record (e.g. {@code --streamlet=processor} alone). Said once, with
   * the command that runs the whole pipeline.
   */
  private static void warnAboutInletsNobodyFeeds(StreamletRegistry registry, List<StreamletDefinition> definitions) {
    Set<String> written = new HashSet<>();
    Map<String, String> unfed = new LinkedHashMap<>();
    for (StreamletDefinition definition : definitions) {
      registry.shape(definition.streamletRef()).outlets()
          .forEach(outlet -> written.add(definition.portMappings().get(outlet.name())));
    }
    for (StreamletDefinition definition : definitions) {
      registry.shape(definition.streamletRef()).inlets().stream()
          .filter(inlet -> !written.contains(definition.portMappings().get(inlet.name())))
          .forEach(inlet -> unfed.put(definition.streamletRef() + "." + inlet.name(), definition.portMappings().get(inlet.name())));
    }
    if (unfed.isEmpty() || definitions.size() == registry.names().size()) {
      return;
    }
    java.io.File jar = new ApplicationHome().getSource();
    String command = "java -jar " + (jar != null && jar.isFile() ? jar.getName() : "<app>.jar") + " --spring.profiles.active=local";
    log.warn("Inlet(s) {} read topic(s) {} of the embedded Kafka broker, which exists only in this JVM, and no streamlet "
            + "of this JVM writes them: they will see no records unless you produce to them yourself. To run the whole "
            + "pipeline in one JVM: {} (or set cloudflow.local=true); to use a real broker, set spring.kafka.bootstrap-servers.",
        String.join(", ", unfed.keySet()), String.join(", ", new LinkedHashSet<>(unfed.values())), command);
  }

  // with streamlets in a local Flink cluster only: Flink's JVM shutdown hooks are this JVM's then
  @Bean
  @ConditionalOnMissingBean
  StreamletsFirstOnSigterm cloudflowStreamletsFirstOnSigterm(
      StreamletLauncher launcher, StreamletJobs runner, CloudflowProperties properties) {
    boolean local = !StringUtils.hasText(properties.getCluster().getAddress()) && !ExecutionTarget.insideFlinkCluster();
    return local ? new StreamletsFirstOnSigterm(launcher, runner) : null; // null: no such bean (Spring's NullBean)
  }

  @Bean
  @ConditionalOnProperty("cloudflow.exit-after")
  @ConditionalOnMissingBean
  TimedExit cloudflowTimedExit(StreamletLauncher launcher, CloudflowProperties properties) {
    return new TimedExit(launcher, properties.getExitAfter());
  }

  static String applicationId(CloudflowProperties properties, ConfigurableEnvironment environment) {
    if (StringUtils.hasText(properties.getApplicationId())) {
      return properties.getApplicationId();
    }
    return environment.getProperty("spring.application.name", "cloudflow-app");
  }
}
