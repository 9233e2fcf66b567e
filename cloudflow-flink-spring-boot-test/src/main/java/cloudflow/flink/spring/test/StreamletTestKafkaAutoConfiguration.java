package cloudflow.flink.spring.test;

import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.spring.autoconfigure.CloudflowFlinkAutoConfiguration;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@link StreamletTestKafka} bean to the context of a {@link StreamletTest}. Imported by
 * that annotation (listed in {@code META-INF/spring/cloudflow.flink.spring.test.StreamletTest.imports}),
 * never by an application's own auto-configuration.
 */
@AutoConfiguration(after = CloudflowFlinkAutoConfiguration.class)
public final class StreamletTestKafkaAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  StreamletTestKafka streamletTestKafka(StreamletLauncher launcher, StreamletRegistry registry, KafkaSettings kafkaSettings) {
    return new StreamletTestKafka(launcher, registry, kafkaSettings);
  }
}
