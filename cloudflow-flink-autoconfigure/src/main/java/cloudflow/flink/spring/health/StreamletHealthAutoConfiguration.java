package cloudflow.flink.spring.health;

import cloudflow.flink.spring.autoconfigure.CloudflowFlinkAutoConfiguration;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Health indicators {@code streamlets} (readiness) and {@code streamletsLiveness} (liveness) for the
 * streamlet jobs; the default properties put them into the {@code readiness} and {@code liveness}
 * probe groups.
 */
@AutoConfiguration(after = CloudflowFlinkAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(StreamletLauncher.class)
public final class StreamletHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "streamletsHealthIndicator")
  StreamletsHealthIndicator streamletsHealthIndicator(StreamletLauncher launcher) {
    return StreamletsHealthIndicator.readiness(launcher);
  }

  @Bean
  @ConditionalOnMissingBean(name = "streamletsLivenessHealthIndicator")
  StreamletsHealthIndicator streamletsLivenessHealthIndicator(StreamletLauncher launcher) {
    return StreamletsHealthIndicator.liveness(launcher);
  }
}
