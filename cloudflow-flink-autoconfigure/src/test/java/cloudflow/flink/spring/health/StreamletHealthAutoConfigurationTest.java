package cloudflow.flink.spring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import cloudflow.flink.health.StreamletHealthPolicy;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import cloudflow.flink.spring.properties.CloudflowProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class StreamletHealthAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(StreamletHealthAutoConfiguration.class))
      .withUserConfiguration(Launcher.class);

  @Test
  void theThresholdsDefaultToTheCoresOptions() {
    runner.run(context -> assertThat(context.getBean(StreamletHealthPolicy.class)).isEqualTo(StreamletHealthPolicy.DEFAULTS));
  }

  @Test
  void theThresholdsComeFromCloudflowHealthProperties() {
    runner.withPropertyValues("cloudflow.health.max-restarts=2", "cloudflow.health.restart-window=1m",
            "cloudflow.health.settle-time=10s", "cloudflow.health.checkpoint-stall=20s")
        .run(context -> assertThat(context.getBean(StreamletHealthPolicy.class)).isEqualTo(
            new StreamletHealthPolicy(2, Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(20))));
  }

  @Test
  void anInvalidThresholdFailsStartupNamingItsProperty() {
    runner.withPropertyValues("cloudflow.health.checkpoint-stall=0s").run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
        .hasMessageContaining("cloudflow.health.checkpoint-stall"));
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(CloudflowProperties.class)
  static class Launcher {

    @Bean
    StreamletLauncher launcher() {
      return mock(StreamletLauncher.class);
    }
  }
}
