package cloudflow.flink.spring.config;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.spring.properties.CloudflowProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Tests for {@link FlinkConfigurationFactory}. */
class FlinkConfigurationFactoryTest {

  @Test
  void addsNoDefaultsTheRuntimeOwnsThem() {
    assertThat(FlinkConfigurationFactory.create(Map.of(), List.of()).toMap()).isEmpty();
  }

  @Test
  void keepsUserValues() {
    Configuration configuration =
        FlinkConfigurationFactory.create(Map.of("execution.checkpointing.interval", "1 min"), List.of());

    assertThat(configuration.toMap()).containsEntry("execution.checkpointing.interval", "1 min");
  }

  @Test
  void passesOtherUserValuesThrough() {
    Configuration configuration =
        FlinkConfigurationFactory.create(Map.of("parallelism.default", "2", "state.backend.type", "rocksdb"), List.of());

    assertThat(configuration.toMap())
        .containsEntry("parallelism.default", "2")
        .containsEntry("state.backend.type", "rocksdb");
  }

  @Test
  void appliesCustomizersInOrderAfterUserValues() {
    List<String> seen = new ArrayList<>();
    FlinkConfigurationCustomizer first = configuration -> {
      seen.add("first saw parallelism " + configuration.toMap().get("parallelism.default"));
      configuration.setString("pipeline.name", "from-first");
    };
    FlinkConfigurationCustomizer second = configuration -> {
      seen.add("second saw " + configuration.toMap().get("pipeline.name"));
      configuration.setString("execution.checkpointing.interval", "30 s");
    };

    Configuration configuration = FlinkConfigurationFactory.create(Map.of("parallelism.default", "4"), List.of(first, second));

    assertThat(seen).containsExactly("first saw parallelism 4", "second saw from-first");
    assertThat(configuration.toMap())
        .containsEntry("pipeline.name", "from-first")
        .containsEntry("execution.checkpointing.interval", "30 s");
  }

  @Test
  void takesDottedFlinkKeysAsBoundFromCloudflowFlinkProperties() {
    MapConfigurationPropertySource source =
        new MapConfigurationPropertySource(
            Map.of(
                "cloudflow.flink.parallelism.default", "3",
                "cloudflow.flink.restart-strategy.type", "fixed-delay",
                "cloudflow.flink.execution.checkpointing.interval", "5 s"));
    CloudflowProperties properties = new Binder(source).bind("cloudflow", CloudflowProperties.class).get();

    Map<String, String> configuration = FlinkConfigurationFactory.create(properties.getFlink(), List.of()).toMap();

    assertThat(configuration)
        .containsEntry("parallelism.default", "3")
        .containsEntry("restart-strategy.type", "fixed-delay")
        .containsEntry("execution.checkpointing.interval", "5 s")
        .doesNotContainKey("restart-strategy.exponential-delay.max-backoff");
  }
}
