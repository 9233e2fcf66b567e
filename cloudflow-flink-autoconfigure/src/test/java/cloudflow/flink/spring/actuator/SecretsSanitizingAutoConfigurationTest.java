package cloudflow.flink.spring.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

class SecretsSanitizingAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SecretsSanitizingAutoConfiguration.class));

  @Test
  void masksKafkaCredentialsAndTheCommandLineButNotOrdinarySettings() {
    runner.run(context -> {
      SanitizingFunction function = context.getBean(SanitizingFunction.class);

      assertThat(sanitized(function, "spring.kafka.properties.sasl.jaas.config", "ScramLoginModule required password=s3cret;"))
          .isEqualTo(SanitizableData.SANITIZED_VALUE);
      assertThat(sanitized(function, "spring.kafka.ssl.trust-store-password", "changeit")).isEqualTo(SanitizableData.SANITIZED_VALUE);
      assertThat(sanitized(function, "spring.kafka.properties.ssl.keystore.key", "-----BEGIN")).isEqualTo(SanitizableData.SANITIZED_VALUE);
      assertThat(sanitized(function, "sun.java.command", "app.jar --spring.kafka.ssl.key-password=x")).isEqualTo(SanitizableData.SANITIZED_VALUE);
      assertThat(sanitized(function, "spring.application.name", "sensors")).isEqualTo("sensors");
      assertThat(sanitized(function, "spring.kafka.bootstrap-servers", "kafka:9092")).isEqualTo("kafka:9092");
    });
  }

  @Test
  void backsOffForAUserDefinedFunctionOfTheSameName() {
    SanitizingFunction own = data -> data;
    runner.withBean("kafkaSecretsSanitizingFunction", SanitizingFunction.class, () -> own)
        .run(context -> assertThat(context.getBean(SanitizingFunction.class)).isSameAs(own));
  }

  private static Object sanitized(SanitizingFunction function, String key, String value) {
    SanitizableData data = new SanitizableData(new MapPropertySource("test", java.util.Map.of()), key, value);
    return function.applyUnlessFiltered(data).getValue();
  }
}
