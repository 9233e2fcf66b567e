package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.plan.StreamletDefinition;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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

  @Test
  void insideAFlinkClusterTheJobKeepsTheClustersSettings() {
    Configuration cluster = new Configuration();
    cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(30));
    cluster.set(PipelineOptions.CLASSPATHS, List.of("file:/opt/flink/usrlib/lib/avro.jar"));
    // what Flink's application-mode job manager (and flink run) does before calling the main method
    StreamContextEnvironment.setAsContext(new DefaultExecutorServiceLoader(), cluster, getClass().getClassLoader(), false, false);
    try {
      assertThat(ExecutionTarget.insideFlinkCluster()).isTrue();
      StreamletRunner runner = new StreamletRunner(KAFKA, new Configuration(), ExecutionTarget.flinkCluster());

      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
          runner.jobConfiguration(definition(DeliveryGuarantee.EXACTLY_ONCE, Map.of())));

      assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
      assertThat(env.getConfiguration().get(PipelineOptions.CLASSPATHS)).containsExactly("file:/opt/flink/usrlib/lib/avro.jar");
    } finally {
      StreamContextEnvironment.unsetAsContext();
    }
    assertThat(ExecutionTarget.insideFlinkCluster()).isFalse();
  }

  private static StreamletDefinition definition(DeliveryGuarantee guarantee, Map<String, String> flinkSettings) {
    return new StreamletDefinition(
        "app", "processor", Map.of("in", "in-topic"), ConfigFactory.empty(), guarantee, Map.of(), flinkSettings);
  }
}
