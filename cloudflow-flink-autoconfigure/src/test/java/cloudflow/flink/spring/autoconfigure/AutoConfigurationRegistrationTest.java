package cloudflow.flink.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.spring.health.StreamletHealthAutoConfiguration;
import cloudflow.flink.spring.kafka.EmbeddedKafkaAutoConfiguration;
import cloudflow.flink.spring.metrics.StreamletMetricsAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

/** The auto-configurations are registered where Spring Boot looks for them. */
class AutoConfigurationRegistrationTest {

  @Test
  void registersEveryAutoConfiguration() {
    List<String> candidates = new ArrayList<>();
    ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).forEach(candidates::add);

    assertThat(candidates)
        .contains(
            EmbeddedKafkaAutoConfiguration.class.getName(),
            CloudflowFlinkAutoConfiguration.class.getName(),
            StreamletHealthAutoConfiguration.class.getName(),
            StreamletMetricsAutoConfiguration.class.getName(),
            cloudflow.flink.spring.actuator.StreamletsEndpointAutoConfiguration.class.getName());
  }
}
