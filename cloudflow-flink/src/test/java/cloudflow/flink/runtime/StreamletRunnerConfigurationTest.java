package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.kafka.KafkaSettings;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/** The Flink configuration {@link StreamletRunner} gives each streamlet's job. */
class StreamletRunnerConfigurationTest {

  private static final KafkaSettings KAFKA = new KafkaSettings("localhost:9092", Map.of(), Map.of());

  @Test
  void checkpointsEveryTenSecondsAtLeastOnceAndEverySecondExactlyOnceUnlessConfigured() {
    StreamletRunner runner = new StreamletRunner(KAFKA, new Configuration());

    assertThat(runner.jobConfiguration(definition(DeliveryGuarantee.AT_LEAST_ONCE, Map.of()))
            .get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(StreamletRunner.DEFAULT_CHECKPOINT_INTERVAL).isEqualTo(Duration.ofSeconds(10));
    assertThat(runner.jobConfiguration(definition(DeliveryGuarantee.EXACTLY_ONCE, Map.of()))
            .get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(StreamletRunner.DEFAULT_EXACTLY_ONCE_CHECKPOINT_INTERVAL).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void keepsAnIntervalSetForAllJobsOrForTheStreamlet() {
    Configuration all = new Configuration();
    all.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(30));
    StreamletRunner runner = new StreamletRunner(KAFKA, all);

    assertThat(runner.jobConfiguration(definition(DeliveryGuarantee.EXACTLY_ONCE, Map.of()))
            .get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(runner.jobConfiguration(
                definition(DeliveryGuarantee.EXACTLY_ONCE, Map.of("execution.checkpointing.interval", "5 s")))
            .get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(5));
  }

  private static StreamletDefinition definition(DeliveryGuarantee guarantee, Map<String, String> flinkSettings) {
    return new StreamletDefinition(
        "app", "processor", Map.of("in", "in-topic"), ConfigFactory.empty(), guarantee, Map.of(), flinkSettings);
  }
}
