package cloudflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.plan.TopicSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cloudflow's topic settings in a blueprint file: names, nesting and defaults. */
class BlueprintTopicSettingsTest {

  @Test
  void readsEveryCloudflowTopicSetting() {
    Blueprint blueprint = Blueprint.parse("""
        shared { managed = no, connection-config { security.protocol = SASL_SSL, sasl.jaas.config = "secret-jaas" } }
        blueprint {
          streamlets { a = a, b = b }
          topics {
            readings = ${shared} {
              topic.name = incoming-readings
              producers = [a.out]
              consumers = [b.in]
              cluster = us-east
              partitions = 6
              replicas = 3
              topic { retention.ms = 86400000, cleanup.policy = [compact, delete] }
              producer-config { compression.type = zstd }
              consumer-config { max.poll.records = 50 }
            }
          }
        }
        """);

    TopicSettings settings = blueprint.topics().get("readings").settings();

    assertThat(settings.key()).isEqualTo("readings");
    assertThat(settings.name()).isEqualTo("incoming-readings");
    assertThat(settings.cluster()).isEqualTo("us-east");
    assertThat(settings.managed()).isFalse();
    assertThat(settings.partitions()).isEqualTo(6);
    assertThat(settings.replicas()).isEqualTo(3);
    assertThat(settings.configs()).isEqualTo(Map.of("retention.ms", "86400000", "cleanup.policy", "compact,delete"));
    assertThat(settings.producerConfig()).isEqualTo(Map.of("compression.type", "zstd"));
    assertThat(settings.consumerConfig()).isEqualTo(Map.of("max.poll.records", "50"));
    assertThat(settings.connectionConfig())
        .isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "secret-jaas"));
    assertThat(settings.toString()).doesNotContain("secret-jaas");
    assertThat(blueprint.portMappings("b")).containsEntry("in", "incoming-readings");
    assertThat(blueprint.topicSettings()).containsEntry("incoming-readings", settings);
  }

  @Test
  void aTopicWithoutSettingsIsManagedOnTheDefaultClusterWithTheBrokersDefaults() {
    Blueprint blueprint = Blueprint.parse("blueprint { streamlets { a = a }, topics { t { producers = [a.out] } } }");

    assertThat(blueprint.topics().get("t").settings()).isEqualTo(TopicSettings.defaults("t"));
    assertThat(TopicSettings.defaults("t").managed()).isTrue();
    assertThat(TopicSettings.defaults("t").cluster()).isEqualTo(TopicSettings.DEFAULT_CLUSTER);
  }

  @Test
  void refusesTopicSettingsOfTheWrongShapeNamingTheTopic() {
    assertThatThrownBy(() -> Blueprint.parse("blueprint { topics { t { producer-config = 3 } } }"))
        .isInstanceOf(BlueprintException.class)
        .hasMessageContaining("blueprint.topics.t")
        .hasMessageContaining("producer-config");
    assertThatThrownBy(() -> Blueprint.parse("blueprint { topics { t { partitions = -1 } } }"))
        .isInstanceOf(BlueprintException.class)
        .hasMessageContaining("blueprint.topics.t");
  }
}
