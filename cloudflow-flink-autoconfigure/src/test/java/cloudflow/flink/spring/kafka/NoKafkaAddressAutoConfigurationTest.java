package cloudflow.flink.spring.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

@ExtendWith(OutputCaptureExtension.class)
class NoKafkaAddressAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(NoKafkaAddressAutoConfiguration.class));

  @Test
  void warnsWithoutBootstrapServersAndWithoutTheEmbeddedBroker(CapturedOutput output) {
    runner.withClassLoader(new FilteredClassLoader(EmbeddedKafkaKraftBroker.class))
        .run(context -> assertThat(context).hasNotFailed());

    assertThat(output).contains("No spring.kafka.bootstrap-servers set: streamlets connect to Kafka's default localhost:9092");
  }

  @Test
  void staysQuietWhenBootstrapServersAreSet(CapturedOutput output) {
    runner.withClassLoader(new FilteredClassLoader(EmbeddedKafkaKraftBroker.class))
        .withPropertyValues("spring.kafka.bootstrap-servers=kafka:9092")
        .run(context -> assertThat(context).hasNotFailed());

    assertThat(output).doesNotContain("No spring.kafka.bootstrap-servers set");
  }

  @Test
  void staysQuietWhenTheEmbeddedBrokerCanStart(CapturedOutput output) {
    runner.run(context -> assertThat(context).hasNotFailed());

    assertThat(output).doesNotContain("No spring.kafka.bootstrap-servers set");
  }
}
