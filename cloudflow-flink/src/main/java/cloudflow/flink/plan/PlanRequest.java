package cloudflow.flink.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * What an application asks to run, as its configuration says it, before anything is checked: which
 * streamlet, the defaults for all of them, and each streamlet's own settings. A front end (the Spring
 * Boot starter's properties, a test, code) builds it; {@link StreamletPlanner} checks it.
 *
 * @param applicationId the application's id
 * @param chosenStreamlet the streamlet to run, or {@code null} for none chosen
 * @param runAll whether to run every streamlet when none is chosen (local development)
 * @param deliveryGuarantee the delivery guarantee of streamlets that set none
 * @param resumeFromNewest whether streamlets resume from their newest checkpoint unless they say otherwise
 * @param streamlets each streamlet's settings, keyed by its name as configured (matched ignoring case,
 *     '-' and '_')
 */
public record PlanRequest(
    String applicationId,
    String chosenStreamlet,
    boolean runAll,
    DeliveryGuarantee deliveryGuarantee,
    boolean resumeFromNewest,
    Map<String, Streamlet> streamlets) {

  /** Checks and copies the request. */
  public PlanRequest {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(deliveryGuarantee, "deliveryGuarantee");
    streamlets = new LinkedHashMap<>(streamlets);
  }

  /**
   * One streamlet's settings, each {@code null} or empty where not set.
   *
   * @param ports each port's settings, by port name
   * @param configParameters values of the streamlet's config parameters, by key
   * @param deliveryGuarantee its delivery guarantee, or {@code null} for the application's
   * @param flinkSettings Flink settings of its job only (checkpointing, parallelism)
   * @param resumeFromNewest {@code false} to turn resuming from the newest checkpoint off for it
   * @param restoreFrom a savepoint or checkpoint to start from, or {@code null}
   * @param allowNonRestoredState whether to drop state no operator claims
   */
  public record Streamlet(
      Map<String, Port> ports,
      Map<String, String> configParameters,
      DeliveryGuarantee deliveryGuarantee,
      Map<String, String> flinkSettings,
      boolean resumeFromNewest,
      String restoreFrom,
      boolean allowNonRestoredState) {

    /** Copies the maps. */
    public Streamlet {
      ports = new LinkedHashMap<>(ports);
      configParameters = new LinkedHashMap<>(configParameters);
      flinkSettings = new LinkedHashMap<>(flinkSettings);
    }
  }

  /**
   * One port's settings.
   *
   * @param topic its topic, over the blueprint's, or {@code null}
   * @param badRecords what an inlet does with records it cannot decode
   * @param deadLetterTopic where dead letters go, or {@code null} for {@code <topic>.dead-letter}
   */
  public record Port(String topic, BadRecordHandling.Policy badRecords, String deadLetterTopic) {}
}
