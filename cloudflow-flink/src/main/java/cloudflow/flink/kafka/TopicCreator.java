package cloudflow.flink.kafka;

import cloudflow.flink.plan.TopicSettings;
import cloudflow.flink.startup.KafkaCredentialsRefusedException;
import cloudflow.flink.startup.TopicSettingsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the topics a streamlet reads and writes ready before its job starts, on each topic's own
 * cluster, as Cloudflow's operator did for managed topics:
 *
 * <ul>
 *   <li>a missing <em>managed</em> topic is created with its partitions, replicas and topic configs
 *       (the broker's defaults for what it leaves unset); brokers that refuse those settings (more
 *       replicas than brokers, an unknown config) stop the streamlet with a {@link TopicSettingsException};
 *   <li>a missing <em>unmanaged</em> topic stops the streamlet: it is someone else's to create, and a
 *       source on it would read nothing and a sink fail or auto-create it with the wrong settings;
 *   <li>an existing topic with fewer partitions than its settings ask for stops the streamlet (adding
 *       partitions moves keys to other partitions, so it is the topic owner's decision); fewer replicas
 *       or other topic configs than asked are logged as warnings, since the data still flows.
 * </ul>
 *
 * <p>Where the application may not list or create topics (ACLs, unreachable brokers), the failure
 * is logged and the topics must be made by whoever owns them. Credentials the brokers refuse stop the
 * streamlet here, before a job restarts against them.
 */
public final class TopicCreator {

  private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private TopicCreator() {}

  /** Creates the missing topics among {@code topics}, all managed, with default settings, on one cluster. */
  public static void createMissing(KafkaSettings kafka, Collection<String> topics) {
    prepare(null, "default", kafka, topics.stream().distinct().map(TopicSettings::defaults).toList());
  }

  /**
   * Prepares topics on their clusters: creates the missing managed ones, checks the others.
   *
   * @param streamletRef the streamlet that needs them, for messages
   * @param clusters how to reach each topic's cluster
   * @param topics the topics' settings
   * @throws TopicSettingsException when a topic is missing and unmanaged, has too few partitions, or
   *     cannot be created as configured
   * @throws KafkaCredentialsRefusedException when a cluster refuses the credentials
   */
  public static void prepare(String streamletRef, KafkaClusters clusters, Collection<TopicSettings> topics) {
    // one admin client per cluster (and per connection-config that changes how to reach it)
    Map<String, List<TopicSettings>> byCluster = new LinkedHashMap<>();
    Map<String, KafkaSettings> settings = new LinkedHashMap<>();
    for (TopicSettings topic : topics) {
      KafkaSettings kafka = clusters.cluster(topic).forTopic(topic.companion(topic.name()));
      String id = topic.cluster() + "|" + kafka.admin().bootstrapServers() + "|" + kafka.admin().properties();
      settings.putIfAbsent(id, kafka);
      byCluster.computeIfAbsent(id, k -> new ArrayList<>()).add(topic);
    }
    byCluster.forEach((id, clusterTopics) ->
        prepare(streamletRef, clusterTopics.get(0).cluster(), settings.get(id), clusterTopics));
  }

  private static void prepare(String streamletRef, String cluster, KafkaSettings kafka, List<TopicSettings> topics) {
    if (topics.isEmpty()) {
      return;
    }
    Map<String, TopicSettings> byName = new LinkedHashMap<>();
    topics.forEach(topic -> byName.putIfAbsent(topic.name(), topic));
    try (Admin admin = Admin.create(kafka.adminProperties(TIMEOUT))) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      for (TopicSettings topic : byName.values()) {
        if (!topic.managed() && !existing.contains(topic.name())) {
          throw new TopicSettingsException(streamletRef, topic.key(), "Topic '" + topic.name() + "' (blueprint topic '"
              + topic.key() + "', managed = false) does not exist on Kafka cluster '" + cluster + "' ("
              + kafka.admin().bootstrapServers() + "), or the application may not describe it. An unmanaged topic is "
              + "not created by the application: create it on that cluster, grant the application DESCRIBE on it, or "
              + "set managed = true to let the application create it.", null);
        }
      }
      checkExisting(streamletRef, cluster, admin, byName.values().stream().filter(t -> existing.contains(t.name())).toList());
      create(streamletRef, cluster, admin, byName.values().stream().filter(t -> !existing.contains(t.name())).toList());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException auth) {
        // non-retriable: the job would restart forever against the same refusal
        throw new KafkaCredentialsRefusedException(kafka.admin().bootstrapServers(), auth);
      }
      log.warn("Could not check whether topics {} exist on Kafka cluster '{}': {}", byName.keySet(), cluster, e.toString());
    } catch (TimeoutException | KafkaException e) {
      log.warn("Could not check whether topics {} exist on Kafka cluster '{}': {}", byName.keySet(), cluster, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void create(String streamletRef, String cluster, Admin admin, List<TopicSettings> missing)
      throws InterruptedException {
    if (missing.isEmpty()) {
      return;
    }
    Map<String, TopicSettings> byName = new LinkedHashMap<>();
    List<NewTopic> requests = new ArrayList<>();
    for (TopicSettings topic : missing) {
      byName.put(topic.name(), topic);
      requests.add(new NewTopic(
              topic.name(),
              topic.partitions() > 0 ? Optional.of(topic.partitions()) : Optional.empty(),
              topic.replicas() > 0 ? Optional.of((short) topic.replicas()) : Optional.empty())
          .configs(topic.configs()));
    }
    for (var result : admin.createTopics(requests).values().entrySet()) {
      TopicSettings topic = byName.get(result.getKey());
      try {
        result.getValue().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        log.info("Created topic {} on Kafka cluster '{}' ({})", topic.name(), cluster, describeRequest(topic));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof InvalidReplicationFactorException || cause instanceof InvalidPartitionsException
            || cause instanceof InvalidConfigurationException || cause instanceof PolicyViolationException) {
          // the settings themselves are wrong for this cluster: a retry or another process would get the same answer
          throw new TopicSettingsException(streamletRef, topic.key(), "Kafka cluster '" + cluster
              + "' refused to create topic '" + topic.name() + "' (blueprint topic '" + topic.key() + "') with "
              + describeRequest(topic) + ": " + cause.getMessage() + ". Change the topic's partitions, replicas or topic "
              + "configs, or create it on the cluster and set managed = false.", cause);
        }
        if (!(cause instanceof TopicExistsException)) {
          log.warn("Could not create topic {} on Kafka cluster '{}': {}", topic.name(), cluster, cause.toString());
        }
      } catch (TimeoutException e) {
        log.warn("Could not create topic {} on Kafka cluster '{}' within {}", topic.name(), cluster, TIMEOUT);
      }
    }
  }

  private static void checkExisting(String streamletRef, String cluster, Admin admin, List<TopicSettings> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    List<TopicSettings> checked = topics.stream()
        .filter(t -> t.partitions() > 0 || t.replicas() > 0 || !t.configs().isEmpty())
        .toList();
    if (checked.isEmpty()) {
      return;
    }
    Map<String, TopicDescription> descriptions = admin.describeTopics(checked.stream().map(TopicSettings::name).toList())
        .allTopicNames().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    for (TopicSettings topic : checked) {
      TopicDescription description = descriptions.get(topic.name());
      int partitions = description.partitions().size();
      if (partitions < topic.partitions()) {
        throw new TopicSettingsException(streamletRef, topic.key(), "Topic '" + topic.name() + "' (blueprint topic '"
            + topic.key() + "') on Kafka cluster '" + cluster + "' has " + partitions + " partitions, fewer than the "
            + topic.partitions() + " its settings ask for. The application does not add partitions to an existing topic "
            + "(keys would move to other partitions): add them on the cluster (kafka-topics --alter --partitions "
            + topic.partitions() + ") or lower the topic's partitions setting to " + partitions + ".", null);
      }
      int replicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
      if (topic.replicas() > 0 && replicas < topic.replicas()) {
        log.warn("Topic {} on Kafka cluster '{}' has {} replicas, fewer than the {} its settings ask for; the application "
            + "does not change an existing topic's replication", topic.name(), cluster, replicas, topic.replicas());
      }
    }
    warnAboutConfigs(cluster, admin, checked.stream().filter(t -> !t.configs().isEmpty()).toList());
  }

  private static void warnAboutConfigs(String cluster, Admin admin, List<TopicSettings> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    if (topics.isEmpty()) {
      return;
    }
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    for (TopicSettings topic : topics) {
      Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
      Map<String, String> differences = new TreeMap<>();
      topic.configs().forEach((key, wanted) -> {
        var entry = actual == null ? null : actual.get(key);
        String value = entry == null ? null : entry.value();
        if (!wanted.equals(value)) {
          differences.put(key, value + " (settings: " + wanted + ")");
        }
      });
      if (!differences.isEmpty()) {
        log.warn("Topic {} on Kafka cluster '{}' exists with other topic configs than its settings ask for: {}; the "
            + "application does not change an existing topic's configs", topic.name(), cluster, differences);
      }
    }
  }

  private static String describeRequest(TopicSettings topic) {
    return "partitions " + (topic.partitions() > 0 ? topic.partitions() : "(broker default)")
        + ", replicas " + (topic.replicas() > 0 ? topic.replicas() : "(broker default)")
        + ", configs " + new TreeMap<>(topic.configs());
  }
}
