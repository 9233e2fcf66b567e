package cloudflow.flink.spring.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.kafka.KafkaClusters;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.plan.TopicSettings;
import cloudflow.flink.spring.blueprint.BlueprintLoader;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.flink.spring.properties.CloudflowProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * Named Kafka clusters ({@code cloudflow.kafka.clusters.<name>.*}, Spring Boot's {@code spring.kafka}
 * shape) and topic settings from {@code cloudflow.blueprint.topics.<key>.*}, bound from real property
 * sources.
 */
class KafkaClustersPropertiesTest {

  private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
      + "username=\"app\" password=\"cluster-secret\";";

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(CloudflowProperties.class)
  static class Properties {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class))
      .withUserConfiguration(Properties.class)
      .withPropertyValues(
          "spring.kafka.bootstrap-servers=plain:9092",
          "cloudflow.kafka.clusters.secure.bootstrap-servers=secure-1:9093,secure-2:9093",
          "cloudflow.kafka.clusters.secure.security.protocol=SASL_PLAINTEXT",
          "cloudflow.kafka.clusters.secure.properties.sasl.mechanism=PLAIN",
          "cloudflow.kafka.clusters.secure.properties.sasl.jaas.config=" + JAAS,
          "cloudflow.kafka.clusters.secure.producer.properties.compression.type=zstd",
          "cloudflow.kafka.clusters.secure.consumer.bootstrap-servers=secure-replica:9093");

  private static KafkaClusters clusters(org.springframework.context.ApplicationContext context) {
    KafkaSettings defaultCluster = KafkaSettingsFactory.create(
        context.getBean(KafkaProperties.class), context.getBean(KafkaConnectionDetails.class));
    return KafkaSettingsFactory.createClusters(defaultCluster, context.getBean(CloudflowProperties.class).getKafka().getClusters(),
        org.springframework.boot.context.properties.bind.Binder.get(context.getEnvironment()));
  }

  @Test
  void aNamedClusterHasSpringBootsKafkaShapeAndKeepsItsSettingsToItself() {
    runner.run(context -> {
      KafkaClusters clusters = clusters(context);

      assertThat(clusters.names()).containsExactly("default", "secure");
      KafkaSettings secure = clusters.named().get("secure");
      assertThat(secure.producer().bootstrapServers()).isEqualTo("secure-1:9093,secure-2:9093");
      assertThat(secure.consumer().bootstrapServers()).isEqualTo("secure-replica:9093");
      assertThat(secure.admin().bootstrapServers()).isEqualTo("secure-1:9093,secure-2:9093");
      for (KafkaSettings.Client client : new KafkaSettings.Client[] {secure.consumer(), secure.producer(), secure.admin()}) {
        assertThat(client.properties())
            .containsEntry("security.protocol", "SASL_PLAINTEXT")
            .containsEntry("sasl.mechanism", "PLAIN")
            .containsEntry("sasl.jaas.config", JAAS)
            .doesNotContainKey("bootstrap.servers")
            .doesNotContainKey("key.serializer").doesNotContainKey("value.deserializer");
        assertThat(client.toString()).doesNotContain("cluster-secret");
      }
      assertThat(secure.producer().properties()).containsEntry("compression.type", "zstd");
      assertThat(secure.consumer().properties()).doesNotContainKey("compression.type");
      KafkaSettings plain = clusters.defaultCluster();
      assertThat(plain.consumer().bootstrapServers()).isEqualTo("plain:9092");
      for (KafkaSettings.Client client : new KafkaSettings.Client[] {plain.consumer(), plain.producer(), plain.admin()}) {
        assertThat(client.properties()).doesNotContainKeys("sasl.jaas.config", "sasl.mechanism", "security.protocol");
      }
    });
  }

  @Test
  void theDefaultNameIsSpringKafkasAndCannotBeRedefined() {
    runner.withPropertyValues("cloudflow.kafka.clusters.default.bootstrap-servers=other:9092").run(context ->
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> clusters(context))
            .isInstanceOf(StreamletConfigurationException.class)
            .hasMessageContaining("cloudflow.kafka.clusters.default"));
  }

  @Test
  void aNamedClusterWithoutBootstrapServersIsRefusedInsteadOfReachingLocalhost() {
    runner.withPropertyValues("cloudflow.kafka.clusters.other.properties.security.protocol=SASL_SSL").run(context ->
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> clusters(context))
            .isInstanceOf(StreamletConfigurationException.class)
            .hasMessageContaining("cloudflow.kafka.clusters.other has no bootstrap servers"));
  }

  @Test
  void topicSettingsBindFromBlueprintPropertiesWithCloudflowsNames() {
    runner.withPropertyValues(
            "cloudflow.blueprint.streamlets.source=source",
            "cloudflow.blueprint.topics.readings.producers=source.out",
            "cloudflow.blueprint.topics.readings.cluster=secure",
            "cloudflow.blueprint.topics.readings.managed=false",
            "cloudflow.blueprint.topics.readings.partitions=6",
            "cloudflow.blueprint.topics.readings.replicas=3",
            "cloudflow.blueprint.topics.readings.topic.name=incoming-readings",
            "cloudflow.blueprint.topics.readings.topic.retention.ms=86400000",
            "cloudflow.blueprint.topics.readings.topic[cleanup.policy]=compact",
            "cloudflow.blueprint.topics.readings.producer-config.acks=all",
            "cloudflow.blueprint.topics.readings.consumer-config.max.poll.records=50",
            "cloudflow.blueprint.topics.readings.connection-config.client.dns.lookup=use_all_dns_ips")
        .run(context -> {
          CloudflowProperties properties = context.getBean(CloudflowProperties.class);
          TopicSettings settings = BlueprintLoader.load(properties.getBlueprint(), new DefaultResourceLoader())
              .orElseThrow().topics().get("readings").settings();

          assertThat(settings).isEqualTo(new TopicSettings("readings", "incoming-readings", "secure", false, 6, 3,
              java.util.Map.of("retention.ms", "86400000", "cleanup.policy", "compact"),
              java.util.Map.of("acks", "all"), java.util.Map.of("max.poll.records", "50"),
              java.util.Map.of("client.dns.lookup", "use_all_dns_ips")));
        });
  }
}
