package cloudflow.flink.spring.actuator;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Masks Kafka credentials in {@code /actuator/env} and {@code /actuator/configprops} even when an
 * operator sets {@code show-values=always} to debug a pod: SASL JAAS configurations, key and trust
 * store passwords and keys, and the JVM command line (which carries {@code --spring.kafka...}
 * arguments).
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class SecretsSanitizingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "kafkaSecretsSanitizingFunction")
  SanitizingFunction kafkaSecretsSanitizingFunction() {
    return SanitizingFunction.sanitizeValue()
        .ifLikelyCredential()
        .ifKeyMatches(".*(jaas[._-]?config|password|secret|credential|token|keystore[._-]?key|ssl[._-]?key).*")
        .ifKeyEquals("sun.java.command");
  }
}
