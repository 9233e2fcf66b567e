package cloudflow.flink.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import cloudflow.flink.spring.kafka.EmbeddedKafkaAutoConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * When {@link EmbeddedKafkaAutoConfiguration} applies and when it backs off. No test starts a broker:
 * where the auto-configuration does apply, a stub {@link EmbeddedKafkaBroker} bean stands in for the
 * real one, and the connection details it leads to show that the auto-configuration was active.
 */
class EmbeddedKafkaAutoConfigurationBackOffTest {

  private static final String STUB_BROKERS = "stub-broker:1234";

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(EmbeddedKafkaAutoConfiguration.class, KafkaAutoConfiguration.class));

  private final ApplicationContextRunner withStubBroker =
      contextRunner.withBean(EmbeddedKafkaBroker.class, EmbeddedKafkaAutoConfigurationBackOffTest::stubBroker);

  @Test
  void pointsKafkaAtTheEmbeddedBrokerWhenNoBootstrapServersAreSet() {
    withStubBroker.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(KafkaConnectionDetails.class);
      assertThat(context.getBean(KafkaConnectionDetails.class).getBootstrapServers()).containsExactly(STUB_BROKERS);
    });
  }

  @Test
  void backsOffWhenBootstrapServersAreSet() {
    contextRunner.withPropertyValues("spring.kafka.bootstrap-servers=kafka-1:9092").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedKafkaBroker.class);
      assertThat(context.getBean(KafkaConnectionDetails.class).getBootstrapServers()).containsExactly("kafka-1:9092");
    });
  }

  @Test
  void backsOffWhenBootstrapServersAreSetEvenIfABrokerBeanExists() {
    withStubBroker.withPropertyValues("spring.kafka.bootstrap-servers=kafka-1:9092").run(context -> assertThat(
            context.getBean(KafkaConnectionDetails.class).getBootstrapServers())
        .containsExactly("kafka-1:9092"));
  }

  @Test
  void backsOffWhenConsumerBootstrapServersAreSet() {
    withStubBroker.withPropertyValues("spring.kafka.consumer.bootstrap-servers=kafka-1:9092").run(context -> assertThat(
            context.getBean(KafkaConnectionDetails.class).getBootstrapServers())
        .doesNotContain(STUB_BROKERS));
  }

  @Test
  void backsOffWhenBootstrapServersComeFromAnEnvironmentVariable() {
    withStubBroker
        .withInitializer(ctx -> ctx.getEnvironment().getPropertySources().replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("SPRING_KAFKA_BOOTSTRAPSERVERS", "kafka-1:9092"))))
        .run(context -> assertThat(context.getBean(KafkaConnectionDetails.class).getBootstrapServers())
            .containsExactly("kafka-1:9092"));
  }

  @Test
  void backsOffWhenDisabled() {
    contextRunner.withPropertyValues("cloudflow.embedded-kafka.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedKafkaBroker.class);
      assertThat(context.getBean(KafkaConnectionDetails.class).getBootstrapServers()).containsExactly("localhost:9092");
    });
  }

  @Test
  void leavesKafkaConnectionDetailsAloneWhenDisabledEvenIfABrokerBeanExists() {
    withStubBroker.withPropertyValues("cloudflow.embedded-kafka.enabled=false").run(context -> assertThat(
            context.getBean(KafkaConnectionDetails.class).getBootstrapServers())
        .containsExactly("localhost:9092"));
  }

  private static EmbeddedKafkaBroker stubBroker() {
    EmbeddedKafkaBroker broker = mock(EmbeddedKafkaBroker.class);
    when(broker.getBrokersAsString()).thenReturn(STUB_BROKERS);
    return broker;
  }
}
