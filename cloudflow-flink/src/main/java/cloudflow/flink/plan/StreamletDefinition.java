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
 */
public record StreamletDefinition(
    String applicationId,
    String streamletRef,
    Map<String, String> portMappings,
    Config config,
    DeliveryGuarantee deliveryGuarantee,
    Map<String, BadRecordHandling> badRecords,
    Map<String, String> flinkSettings,
    RestoreSettings restore) {

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

  /** What an inlet does with records it cannot decode. */
  public BadRecordHandling badRecordsOf(String inlet) {
    return badRecords.getOrDefault(inlet, BadRecordHandling.SKIP);
  }
}
