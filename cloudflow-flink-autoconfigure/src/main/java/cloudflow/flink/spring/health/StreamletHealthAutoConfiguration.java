package cloudflow.flink.spring.health;

import cloudflow.flink.health.StreamletHealthPolicy;
import cloudflow.flink.spring.autoconfigure.CloudflowFlinkAutoConfiguration;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import cloudflow.flink.spring.properties.CloudflowProperties;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Health indicators {@code streamlets} (readiness) and {@code streamletsLiveness} (liveness) for the
 * streamlet jobs, judged by a {@link StreamletHealthPolicy} with the {@code cloudflow.health.*}
 * thresholds; the default properties put them into the {@code readiness} and {@code liveness} probe
 * groups.
 */
@AutoConfiguration(after = CloudflowFlinkAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(StreamletLauncher.class)
public final class StreamletHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  StreamletHealthPolicy streamletHealthPolicy(CloudflowProperties properties) {
    CloudflowProperties.Health health = properties.getHealth();
    if (health.getMaxRestarts() < 0) {
      throw new InvalidConfigurationPropertyValueException("cloudflow.health.max-restarts", health.getMaxRestarts(),
          "It must be 0 or more (0: any restart within cloudflow.health.restart-window turns liveness DOWN).");
    }
    positive("cloudflow.health.restart-window", health.getRestartWindow());
    positive("cloudflow.health.checkpoint-stall", health.getCheckpointStall());
    if (health.getSettleTime() == null || health.getSettleTime().isNegative()) {
      throw new InvalidConfigurationPropertyValueException("cloudflow.health.settle-time", health.getSettleTime(),
          "It must be a duration of 0 or more, such as 30s.");
    }
    return new StreamletHealthPolicy(health.getMaxRestarts(), health.getRestartWindow(), health.getSettleTime(),
        health.getCheckpointStall());
  }

  private static void positive(String property, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new InvalidConfigurationPropertyValueException(property, value, "It must be a positive duration, such as 5m.");
    }
  }

  @Bean
  @ConditionalOnMissingBean(name = "streamletsHealthIndicator")
  StreamletsHealthIndicator streamletsHealthIndicator(StreamletLauncher launcher, StreamletHealthPolicy policy) {
    return StreamletsHealthIndicator.readiness(launcher, policy);
  }

  @Bean
  @ConditionalOnMissingBean(name = "streamletsLivenessHealthIndicator")
  StreamletsHealthIndicator streamletsLivenessHealthIndicator(StreamletLauncher launcher, StreamletHealthPolicy policy) {
    return StreamletsHealthIndicator.liveness(launcher, policy);
  }
}
