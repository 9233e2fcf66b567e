package cloudflow.flink.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.kafka.KafkaClusters;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.kafka.TopicCreator;
import cloudflow.flink.plan.TopicSettings;
import cloudflow.flink.startup.TopicSettingsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link cloudflow.flink.kafka.TopicCreator} against a real broker in its own JVM: a topic's
 * partitions, replicas and topic configs reach the broker, and the cases the application must not
 * fix by itself (an unmanaged topic missing, too few partitions, settings the brokers refuse) stop the
 * streamlet with a message naming the topic, its cluster and what to do.
 *
 * <p>One broker node: {@link KafkaBrokerProcess} runs one combined broker and controller, and a
 * three-node KRaft quorum would triple the JVMs (and the memory) of this test on a two-core build
 * machine. Replicas are still checked end to end: the node accepts an explicit replication factor of
 * 1, and refuses 2 with "only 1 broker(s) are registered", an answer it can only give to a request
 * that carried the factor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicSettingsBrokerTest {

  private KafkaBrokerProcess broker;
  private KafkaClusters clusters;
  private Admin admin;

  @BeforeAll
  void startBroker() {
    broker = new KafkaBrokerProcess(Path.of("target", "topic-settings-broker")).withMaxHeap("384m").start();
    // the topics live on a named cluster; the default one points nowhere, so using it would fail
    clusters = new KafkaClusters(KafkaSettings.of("127.0.0.1:1"), Map.of("main", KafkaSettings.of(broker.bootstrapServers())));
    admin = Admin.create(broker.adminProperties());
  }

  @AfterAll
  void stopBroker() {
    if (admin != null) {
      admin.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static TopicSettings topic(String name, boolean managed, int partitions, int replicas, Map<String, String> configs) {
    return new TopicSettings("key-" + name, name, "main", managed, partitions, replicas, configs, Map.of(), Map.of(), Map.of());
  }

  private TopicDescription describe(String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
  }

  @Test
  void createsAManagedTopicWithItsPartitionsReplicasAndTopicConfigs() throws Exception {
    String name = unique("created");

    TopicCreator.prepare("processor", clusters, List.of(
        topic(name, true, 3, 1, Map.of("retention.ms", "3600000", "cleanup.policy", "compact"))));

    TopicDescription description = describe(name);
    assertThat(description.partitions()).hasSize(3);
    assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(1));
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
    Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
    assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
    assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
  }

  @Test
  void aTopicWithoutSettingsGetsTheBrokersDefaults() throws Exception {
    String name = unique("defaults");

    TopicCreator.prepare("processor", clusters, List.of(topic(name, true, 0, 0, Map.of())));

    assertThat(describe(name).partitions()).hasSize(KafkaBrokerProcess.DEFAULT_PARTITIONS);
  }

  @Test
  void moreReplicasThanBrokersIsRefusedWithTheBrokersAnswer() {
    String name = unique("replicated");

    assertThatThrownBy(() -> TopicCreator.prepare("processor", clusters, List.of(topic(name, true, 1, 2, Map.of()))))
        .isInstanceOf(TopicSettingsException.class)
        .hasMessageContaining("Kafka cluster 'main' refused to create topic '" + name + "'")
        .hasMessageContaining("replicas 2")
        .hasMessageContaining("only 1 broker(s) are registered");
  }

  @Test
  void anUnknownTopicConfigIsRefusedNamingTheTopic() {
    String name = unique("misconfigured");

    assertThatThrownBy(() -> TopicCreator.prepare("processor", clusters,
            List.of(topic(name, true, 1, 1, Map.of("retention.milliseconds", "1")))))
        .isInstanceOf(TopicSettingsException.class)
        .hasMessageContaining("topic '" + name + "'")
        .hasMessageContaining("retention.milliseconds");
  }

  @Test
  void aMissingUnmanagedTopicStopsTheStreamletAndIsNotCreated() throws Exception {
    String name = unique("foreign");

    assertThatThrownBy(() -> TopicCreator.prepare("processor", clusters, List.of(topic(name, false, 0, 0, Map.of()))))
        .isInstanceOf(TopicSettingsException.class)
        .hasMessageContaining("Topic '" + name + "' (blueprint topic 'key-" + name + "', managed = false) does not exist")
        .hasMessageContaining("on Kafka cluster 'main' (" + broker.bootstrapServers() + ")")
        .hasMessageContaining("set managed = true");
    assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain(name);
  }

  @Test
  void anExistingUnmanagedTopicIsUsedAsItIs() {
    String name = unique("owned-elsewhere");
    broker.createTopic(name, 1);

    assertThatCode(() -> TopicCreator.prepare("processor", clusters, List.of(topic(name, false, 0, 0, Map.of()))))
        .doesNotThrowAnyException();
  }

  @Test
  void anExistingTopicWithFewerPartitionsThanAskedStopsTheStreamlet() throws Exception {
    String name = unique("small");
    broker.createTopic(name, 2);

    assertThatThrownBy(() -> TopicCreator.prepare("processor", clusters, List.of(topic(name, true, 4, 0, Map.of()))))
        .isInstanceOf(TopicSettingsException.class)
        .hasMessageContaining("Topic '" + name + "' (blueprint topic 'key-" + name + "') on Kafka cluster 'main' has 2 "
            + "partitions, fewer than the 4 its settings ask for")
        .hasMessageContaining("kafka-topics --alter --partitions 4");
    // more partitions than asked is fine, and the topic is left as it is
    assertThatCode(() -> TopicCreator.prepare("processor", clusters, List.of(topic(name, true, 1, 0, Map.of()))))
        .doesNotThrowAnyException();
    assertThat(describe(name).partitions()).hasSize(2);
  }
}
