package cloudflow.flink.plan;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Everything the runtime needs to know about one streamlet of an application, besides its code.
 *
 * @param applicationId the application's id; prefixes consumer groups, transactional ids and job ids
 * @param streamletRef the streamlet's name in the application, also the Flink job name
 * @param portMappings the topic of each port, by port name
 * @param config the application's configuration, given to the logic as {@code config()}
 * @param deliveryGuarantee how its outlets write: at-least-once, or exactly-once with transactions
 * @param badRecords what each inlet does with records it cannot decode, by inlet name (default: skip)
 * @param flinkSettings Flink configuration for this streamlet's job only, over the runner's
 * @param restore which state the job starts from
 * @param topics the settings of its topics (cluster, managed, partitions, client settings), by Kafka
 *     topic name; a topic without settings is a managed topic on the default cluster
 */
public record StreamletDefinition(
    String applicationId,
    String streamletRef,
    Map<String, String> portMappings,
    Config config,
    DeliveryGuarantee deliveryGuarantee,
    Map<String, BadRecordHandling> badRecords,
    Map<String, String> flinkSettings,
    RestoreSettings restore,
    Map<String, TopicSettings> topics) {

  /** Validates and copies the definition. */
  public StreamletDefinition {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(streamletRef, "streamletRef");
    portMappings = Map.copyOf(portMappings);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(deliveryGuarantee, "deliveryGuarantee");
    badRecords = Map.copyOf(badRecords);
    flinkSettings = Map.copyOf(flinkSettings);
    Objects.requireNonNull(restore, "restore");
    topics = Map.copyOf(topics);
  }

  /** A definition whose topics all have the default settings. */
  public StreamletDefinition(
      String applicationId,
      String streamletRef,
      Map<String, String> portMappings,
      Config config,
      DeliveryGuarantee deliveryGuarantee,
      Map<String, BadRecordHandling> badRecords,
      Map<String, String> flinkSettings,
      RestoreSettings restore) {
    this(applicationId, streamletRef, portMappings, config, deliveryGuarantee, badRecords, flinkSettings, restore, Map.of());
  }

  /** A definition with the {@linkplain RestoreSettings#DEFAULT default restore settings}. */
  public StreamletDefinition(
      String applicationId,
      String streamletRef,
      Map<String, String> portMappings,
      Config config,
      DeliveryGuarantee deliveryGuarantee,
      Map<String, BadRecordHandling> badRecords,
      Map<String, String> flinkSettings) {
    this(applicationId, streamletRef, portMappings, config, deliveryGuarantee, badRecords, flinkSettings,
        RestoreSettings.DEFAULT);
  }

  /** An at-least-once definition that skips bad records and adds no Flink settings. */
  public StreamletDefinition(String applicationId, String streamletRef, Map<String, String> portMappings, Config config) {
    this(applicationId, streamletRef, portMappings, config, DeliveryGuarantee.AT_LEAST_ONCE, Map.of(), Map.of());
  }

  /** This definition with other restore settings. */
  public StreamletDefinition withRestore(RestoreSettings restore) {
    return new StreamletDefinition(applicationId, streamletRef, portMappings, config, deliveryGuarantee, badRecords,
        flinkSettings, restore, topics);
  }

  /** The settings of a Kafka topic of this streamlet: its own, or the defaults. */
  public TopicSettings topicSettings(String topic) {
    return topics.getOrDefault(topic, TopicSettings.defaults(topic));
  }

  /**
   * The settings of the topic a port is connected to, or {@code null} when it is not connected. The
   * dead-letter topic of an inlet is found as a {@linkplain TopicSettings#companion companion} of
   * the inlet's topic: on its cluster, reached the same way.
   */
  public TopicSettings portTopicSettings(String port) {
    String topic = portMappings.get(port);
    return topic == null ? null : topicSettings(topic);
  }

  /** The settings of an inlet's dead-letter topic: on the inlet topic's cluster, managed, broker defaults. */
  public TopicSettings deadLetterTopicSettings(String inlet) {
    String deadLetterTopic = badRecordsOf(inlet).deadLetterTopic();
    if (topics.containsKey(deadLetterTopic)) {
      return topics.get(deadLetterTopic);
    }
    TopicSettings inletTopic = portTopicSettings(inlet);
    return inletTopic == null ? TopicSettings.defaults(deadLetterTopic) : inletTopic.companion(deadLetterTopic);
  }

  /** What an inlet does with records it cannot decode. */
  public BadRecordHandling badRecordsOf(String inlet) {
    return badRecords.getOrDefault(inlet, BadRecordHandling.SKIP);
  }
}
