package cloudflow.flink.spring.kafka;

import cloudflow.flink.spring.blueprint.BlueprintLoader;
import cloudflow.flink.spring.properties.CloudflowProperties;
import cloudflow.flink.spring.properties.StreamletCommandCondition;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Starts an in-process Kafka broker (KRaft, one node, listening on 127.0.0.1 only) when
 * spring-kafka-test is on the classpath and no {@code spring.kafka.bootstrap-servers} is set, creates
 * the topics of every configured port and points Spring Boot's {@link KafkaConnectionDetails} at it. For local use only: data lives in a
 * temporary directory and is gone when the JVM exits.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
// spring-kafka-test marks a dev class path (it brings the Kafka server the broker runs on), as in
// NoKafkaAddressAutoConfiguration
@ConditionalOnClass(EmbeddedKafkaKraftBroker.class)
@ConditionalOnBooleanProperty(name = "cloudflow.embedded-kafka.enabled", matchIfMissing = true)
@Conditional({EmbeddedKafkaAutoConfiguration.NoBootstrapServersCondition.class, StreamletCommandCondition.Not.class})
@EnableConfigurationProperties(CloudflowProperties.class)
public final class EmbeddedKafkaAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaAutoConfiguration.class);

  /** The system property the embedded broker publishes its address in. */
  static final String ADDRESS_PROPERTY = "cloudflow.embedded-kafka.bootstrap-servers";

  /** Name of the embedded broker bean. */
  public static final String BROKER_BEAN_NAME = "embeddedKafka";

  @Bean(name = BROKER_BEAN_NAME, destroyMethod = "destroy")
  @ConditionalOnMissingBean(EmbeddedKafkaBroker.class)
  EmbeddedKafkaBroker embeddedKafka(CloudflowProperties properties, ResourceLoader resourceLoader) {
    int partitions = properties.getEmbeddedKafka().getPartitions();
    LoopbackKafkaBroker broker = new LoopbackKafkaBroker(partitions);
    // A system property of our own for the address: a JVM-wide spring.kafka.bootstrap-servers would make
    // every later context in this JVM skip its own broker and use this one, even after it is gone.
    broker.brokerListProperty(ADDRESS_PROPERTY);
    broker.afterPropertiesSet();
    Map<String, Integer> configured = configuredTopics(properties, resourceLoader);
    List<NewTopic> topics = configured.entrySet().stream()
        .map(t -> new NewTopic(t.getKey(), t.getValue() > 0 ? t.getValue() : partitions, (short) 1))
        .toList();
    if (!topics.isEmpty()) {
      broker.addTopics(topics.toArray(NewTopic[]::new));
    }
    log.warn(
        "\n*****************************************************************\n"
            + " Started an EMBEDDED Kafka broker at {} with topics {}.\n"
            + " For local use only: its data is lost when this JVM exits.\n"
            + " Set spring.kafka.bootstrap-servers to use a real Kafka cluster.\n"
            + "*****************************************************************",
        broker.getBrokersAsString(),
        configured.keySet());
    return broker;
  }

  @Bean
  @ConditionalOnMissingBean(KafkaConnectionDetails.class)
  KafkaConnectionDetails embeddedKafkaConnectionDetails(EmbeddedKafkaBroker embeddedKafka) {
    List<String> servers = Arrays.asList(embeddedKafka.getBrokersAsString().split(","));
    return () -> servers;
  }

  @Bean
  ApplicationListener<ContextClosedEvent> embeddedKafkaShutdownLogging() {
    // The embedded broker stops while this JVM's clients and Flink's Kafka connectors may still be
    // connected; what Kafka logs then is noise about data we discard, so Kafka's loggers go quiet once
    // the application is closing.
    return event -> {
      LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
      for (String logger : List.of("kafka", "state.change.logger", "org.apache.kafka", "org.springframework.kafka.test")) {
        logging.setLogLevel(logger, LogLevel.OFF);
      }
    };
  }

  /** The topics of the blueprint and of the port properties, with their partitions (0: default). */
  private static Map<String, Integer> configuredTopics(CloudflowProperties properties, ResourceLoader resourceLoader) {
    Map<String, Integer> topics = new TreeMap<>();
    BlueprintLoader.load(properties.getBlueprint(), resourceLoader)
        .ifPresent(blueprint -> blueprint.topics().values().forEach(t -> topics.put(t.kafkaName(), t.partitions())));
    properties.getStreamlets().values().stream()
        .flatMap(s -> s.getPorts().values().stream())
        .map(CloudflowProperties.Port::getTopic)
        .filter(Objects::nonNull)
        .forEach(topic -> topics.putIfAbsent(topic, 0));
    return topics;
  }

  /** Matches when no Kafka bootstrap servers are configured, in any relaxed form. */
  static final class NoBootstrapServersCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Binder binder = Binder.get(context.getEnvironment());
      for (String name : List.of("spring.kafka.bootstrap-servers", "spring.kafka.consumer.bootstrap-servers",
          "spring.kafka.producer.bootstrap-servers")) {
        if (binder.bind(name, Bindable.listOf(String.class)).isBound()) {
          return ConditionOutcome.noMatch(name + " is set");
        }
      }
      return ConditionOutcome.match("no Kafka bootstrap servers are set");
    }
  }
}
