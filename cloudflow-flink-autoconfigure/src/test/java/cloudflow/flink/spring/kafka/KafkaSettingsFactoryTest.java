package cloudflow.flink.spring.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.kafka.KafkaStreamletContext;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.streamlets.StreamletShape;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Tests for {@link KafkaSettingsFactory}. */
class KafkaSettingsFactoryTest {

  private static final List<String> CONNECTOR_OWNED_KEYS =
      List.of("bootstrap.servers", "key.deserializer", "value.deserializer", "key.serializer", "value.serializer");

  private final KafkaProperties properties = new KafkaProperties();

  @Test
  void takesTheBootstrapServersFromTheConnectionDetails() {
    properties.setBootstrapServers(List.of("from-properties:9092"));
    KafkaConnectionDetails connection = () -> List.of("broker-1:9092", "broker-2:9093");

    KafkaSettings settings = KafkaSettingsFactory.create(properties, connection);

    assertThat(settings.consumer().bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9093");
  }

  @Test
  void passesSpringKafkaPropertiesToConsumersAndProducers() {
    properties.getProperties().put("security.protocol", "SASL_SSL");
    properties.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");

    KafkaSettings settings = KafkaSettingsFactory.create(properties, () -> List.of("broker:9092"));

    assertThat(settings.consumer().properties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(settings.producer().properties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
  }

  @Test
  void leavesSerializersDeserializersAndBootstrapServersToTheConnector() {
    properties.getProperties().put("sasl.mechanism", "PLAIN");
    properties.getConsumer().setKeyDeserializer(LongDeserializer.class);
    properties.getProducer().setValueSerializer(LongSerializer.class);

    KafkaSettings settings = KafkaSettingsFactory.create(properties, () -> List.of("broker:9092"));

    assertThat(settings.consumer().properties()).doesNotContainKeys(CONNECTOR_OWNED_KEYS.toArray(String[]::new));
    assertThat(settings.producer().properties()).doesNotContainKeys(CONNECTOR_OWNED_KEYS.toArray(String[]::new));
    assertThat(settings.consumer().properties()).containsEntry("sasl.mechanism", "PLAIN");
  }

  @Test
  void keepsConsumerAndProducerSettingsApart() {
    properties.getConsumer().getProperties().put("fetch.min.bytes", "1024");
    properties.getProducer().setAcks("all");
    properties.getProducer().getProperties().put("linger.ms", "20");

    KafkaSettings settings = KafkaSettingsFactory.create(properties, () -> List.of("broker:9092"));

    assertThat(settings.consumer().properties()).containsEntry("fetch.min.bytes", "1024").doesNotContainKeys("acks", "linger.ms");
    assertThat(settings.producer().properties())
        .containsEntry("acks", "all")
        .containsEntry("linger.ms", "20")
        .doesNotContainKey("fetch.min.bytes");
  }

  @Test
  void letsTheSecurityProtocolOfTheConnectionDetailsWin() {
    properties.getProperties().put("security.protocol", "PLAINTEXT");
    KafkaConnectionDetails connection = new KafkaConnectionDetails() {
      @Override
      public List<String> getBootstrapServers() {
        return List.of("broker:9093");
      }

      @Override
      public String getSecurityProtocol() {
        return "SSL";
      }
    };

    KafkaSettings settings = KafkaSettingsFactory.create(properties, connection);

    assertThat(settings.consumer().properties()).containsEntry("security.protocol", "SSL");
    assertThat(settings.producer().properties()).containsEntry("security.protocol", "SSL");
  }

  @Test
  void usesTheConsumerAndProducerConnectionsSeparately() {
    KafkaConnectionDetails connection = new KafkaConnectionDetails() {
      @Override
      public List<String> getBootstrapServers() {
        return List.of("common:9092");
      }

      @Override
      public Configuration getConsumer() {
        return Configuration.of(List.of("consumer-side:9092"), null, "SASL_SSL");
      }

      @Override
      public Configuration getProducer() {
        return Configuration.of(List.of("producer-side:9092"), null, "SSL");
      }
    };

    KafkaSettings settings = KafkaSettingsFactory.create(properties, connection);

    assertThat(settings.consumer().bootstrapServers()).isEqualTo("consumer-side:9092");
    assertThat(settings.producer().bootstrapServers()).isEqualTo("producer-side:9092");
    assertThat(settings.consumer().properties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(settings.producer().properties()).containsEntry("security.protocol", "SSL");
  }

  @Test
  void aProducerOnlyBootstrapSettingReachesTheSinksAlone() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class))
        .withPropertyValues(
            "spring.kafka.bootstrap-servers=common:9092",
            "spring.kafka.producer.bootstrap-servers=producers-1:9092,producers-2:9092")
        .run(context -> {
          KafkaSettings settings = KafkaSettingsFactory.create(
              context.getBean(KafkaProperties.class), context.getBean(KafkaConnectionDetails.class));

          assertThat(settings.producer().bootstrapServers()).isEqualTo("producers-1:9092,producers-2:9092");
          assertThat(settings.consumer().bootstrapServers()).isEqualTo("common:9092");
          assertThat(settings.admin().bootstrapServers()).isEqualTo("common:9092");
          // what outlets and dead-letter sinks are built from
          KafkaStreamletContext streamlet = new KafkaStreamletContext(StreamExecutionEnvironment.getExecutionEnvironment(),
              new StreamletDefinition("app", "processor", Map.of(), ConfigFactory.empty()), StreamletShape.createEmpty(),
              settings);
          assertThat(streamlet.sinkProperties()).containsEntry("bootstrap.servers", "producers-1:9092,producers-2:9092");
          assertThat(streamlet.sourceProperties()).containsEntry("bootstrap.servers", "common:9092");
        });
  }

  @Test
  void adminClientsGetTheAdminPropertiesAndConnection() {
    properties.getProperties().put("sasl.mechanism", "PLAIN");
    properties.getAdmin().setClientId("cloudflow-admin");
    properties.getAdmin().getProperties().put("retry.backoff.ms", "250");
    properties.getConsumer().getProperties().put("fetch.min.bytes", "1024");
    properties.getProducer().setAcks("all");
    KafkaConnectionDetails connection = new KafkaConnectionDetails() {
      @Override
      public List<String> getBootstrapServers() {
        return List.of("common:9092");
      }

      @Override
      public Configuration getAdmin() {
        return Configuration.of(List.of("admin-side:9092"), null, "SASL_SSL");
      }
    };

    KafkaSettings settings = KafkaSettingsFactory.create(properties, connection);

    assertThat(settings.admin().bootstrapServers()).isEqualTo("admin-side:9092");
    assertThat(settings.admin().properties())
        .containsEntry("client.id", "cloudflow-admin")
        .containsEntry("retry.backoff.ms", "250")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("security.protocol", "SASL_SSL")
        .doesNotContainKeys("fetch.min.bytes", "acks", "bootstrap.servers");
    assertThat(settings.adminProperties(java.time.Duration.ofSeconds(5)))
        .containsEntry("bootstrap.servers", "admin-side:9092")
        .containsEntry("client.id", "cloudflow-admin");
    assertThat(settings.consumer().bootstrapServers()).isEqualTo("common:9092");
    assertThat(settings.consumer().properties()).doesNotContainKey("client.id");
  }

  @Test
  void refusesAnSslBundleOnAnyClientType() {
    SslBundle bundle = SslBundle.of(null);
    KafkaConnectionDetails producerBundle = new KafkaConnectionDetails() {
      @Override
      public List<String> getBootstrapServers() {
        return List.of("broker:9092");
      }

      @Override
      public Configuration getProducer() {
        return Configuration.of(List.of("broker:9092"), bundle);
      }
    };

    assertThatThrownBy(() -> KafkaSettingsFactory.create(properties, producerBundle))
        .isInstanceOf(StreamletConfigurationException.class)
        .hasMessageContaining("spring.kafka.ssl.bundle");
  }

  @Test
  void buildsSettingsFromBootsKafkaConfiguration() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class))
        .withPropertyValues(
            "spring.kafka.bootstrap-servers=kafka-1:9092,kafka-2:9092",
            "spring.kafka.security.protocol=SASL_SSL",
            "spring.kafka.properties.sasl.mechanism=PLAIN",
            "spring.kafka.consumer.fetch-max-wait=750ms",
            "spring.kafka.producer.compression-type=zstd")
        .run(context -> {
          KafkaSettings settings =
              KafkaSettingsFactory.create(
                  context.getBean(KafkaProperties.class),
                  context.getBean(KafkaConnectionDetails.class));

          assertThat(settings.consumer().bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
          assertThat(settings.consumer().properties())
              .containsEntry("security.protocol", "SASL_SSL")
              .containsEntry("sasl.mechanism", "PLAIN")
              .containsEntry("fetch.max.wait.ms", "750")
              .doesNotContainKeys(CONNECTOR_OWNED_KEYS.toArray(String[]::new));
          assertThat(settings.producer().properties())
              .containsEntry("security.protocol", "SASL_SSL")
              .containsEntry("compression.type", "zstd")
              .doesNotContainKeys(CONNECTOR_OWNED_KEYS.toArray(String[]::new));
          assertThat(Map.copyOf(settings.consumer().properties()).values()).doesNotContainNull();
        });
  }
}
