package cloudflow.flink.spring.kafka;

import cloudflow.flink.spring.properties.StreamletCommandCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Says so at startup when streamlets will connect to Kafka's default address, {@code localhost:9092}:
 * no bootstrap servers are set and no embedded broker can start, because {@code spring-kafka-test}
 * is not on the class path (a production jar). Otherwise the only sign is an endless series of
 * connection warnings from the Kafka clients.
 */
@AutoConfiguration
@ConditionalOnMissingClass("org.springframework.kafka.test.EmbeddedKafkaKraftBroker")
@Conditional({EmbeddedKafkaAutoConfiguration.NoBootstrapServersCondition.class, StreamletCommandCondition.Not.class})
public final class NoKafkaAddressAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(NoKafkaAddressAutoConfiguration.class);

  @Bean
  SmartInitializingSingleton noKafkaAddressWarning() {
    return () -> log.warn("No spring.kafka.bootstrap-servers set: streamlets connect to Kafka's default localhost:9092. "
        + "Set spring.kafka.bootstrap-servers; for an embedded broker on a laptop put spring-kafka-test on the "
        + "class path (the sample's -dev jar has it).");
  }
}
