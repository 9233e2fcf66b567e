package cloudflow.flink.kafka;

import cloudflow.flink.plan.TopicSettings;
import cloudflow.flink.startup.UnknownKafkaClusterException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Kafka clusters an application reaches, by name: the default one ({@link TopicSettings#DEFAULT_CLUSTER}),
 * used by every topic that names none, and the named ones a blueprint topic may choose with
 * {@code cluster = <name>}. Every client of a topic (source, sink, dead-letter sink, admin client)
 * connects with its cluster's settings, and only those: a cluster's credentials never reach another.
 *
 * @param defaultCluster the settings of the default cluster
 * @param named the other clusters' settings, by name
 */
public record KafkaClusters(KafkaSettings defaultCluster, Map<String, KafkaSettings> named) {

  /** Validates and copies the clusters. */
  public KafkaClusters {
    Objects.requireNonNull(defaultCluster, "defaultCluster");
    if (named.containsKey(TopicSettings.DEFAULT_CLUSTER)) {
      throw new IllegalArgumentException(
          "The Kafka cluster name '" + TopicSettings.DEFAULT_CLUSTER + "' is the default connection's and cannot name another");
    }
    named = Collections.unmodifiableMap(new LinkedHashMap<>(named));
  }

  /** Only a default cluster. */
  public static KafkaClusters of(KafkaSettings defaultCluster) {
    return new KafkaClusters(defaultCluster, Map.of());
  }

  /** Every cluster name, the default one included, sorted. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>(named.keySet());
    names.add(TopicSettings.DEFAULT_CLUSTER);
    return names;
  }

  /**
   * The settings of the clients that reach a topic: its cluster's, with the topic's own client settings
   * on top ({@link KafkaSettings#forTopic}).
   *
   * @throws UnknownKafkaClusterException when the topic names a cluster that is not configured
   */
  public KafkaSettings forTopic(TopicSettings topic) {
    return cluster(topic).forTopic(topic);
  }

  /**
   * The settings of a topic's cluster, without the topic's own client settings.
   *
   * @throws UnknownKafkaClusterException when the topic names a cluster that is not configured
   */
  public KafkaSettings cluster(TopicSettings topic) {
    if (topic.onDefaultCluster()) {
      return defaultCluster;
    }
    KafkaSettings settings = named.get(topic.cluster());
    if (settings == null) {
      throw new UnknownKafkaClusterException(topic.key(), topic.cluster(), names());
    }
    return settings;
  }
}
