package cloudflow.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each Kafka client type gets its own connection from {@link KafkaSettings}. */
class KafkaSettingsTest {

  @Test
  void adminClientsUseTheAdminConnectionWithTheirTimeout() {
    KafkaSettings settings = new KafkaSettings(
        new KafkaSettings.Client("consumers:9092", Map.of("fetch.min.bytes", "1")),
        new KafkaSettings.Client("producers:9092", Map.of("linger.ms", "5")),
        new KafkaSettings.Client("admins:9092", Map.of("security.protocol", "SSL")));

    assertThat(settings.adminProperties(Duration.ofSeconds(7)))
        .containsEntry("bootstrap.servers", "admins:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("default.api.timeout.ms", "7000")
        .containsEntry("request.timeout.ms", "7000")
        .doesNotContainKeys("fetch.min.bytes", "linger.ms");
  }

  @Test
  void withOneAddressEveryClientUsesItAndAdminsGetTheConsumerSettingsTheyUnderstand() {
    KafkaSettings settings = new KafkaSettings("kafka:9092",
        Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "max.poll.records", "10"),
        Map.of("linger.ms", "5"));

    assertThat(settings.consumer().bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(settings.producer().bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(settings.admin().bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(settings.admin().properties())
        .containsOnly(Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "PLAIN"));
  }

  @Test
  void refusesAClientWithoutBootstrapServers() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new KafkaSettings.Client(" ", Map.of()))
        .withMessage("Kafka bootstrap servers are not set");
  }

  @Test
  void printsNoSecrets() {
    KafkaSettings.Client client = new KafkaSettings.Client("kafka:9092", Map.of(
        "sasl.jaas.config", "ScramLoginModule required password=\"s3cret\";",
        "ssl.key.password", "k3y",
        "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
        "sasl.mechanism", "SCRAM-SHA-512"));

    assertThat(client.toString())
        .doesNotContain("s3cret", "k3y", "BEGIN PRIVATE")
        .contains("sasl.mechanism=SCRAM-SHA-512", "sasl.jaas.config=******", "kafka:9092");
    assertThat(KafkaSettings.of("kafka:9092").toString()).contains("kafka:9092");
  }
}
