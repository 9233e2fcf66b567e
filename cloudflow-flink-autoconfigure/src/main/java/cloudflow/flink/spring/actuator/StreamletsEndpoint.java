package cloudflow.flink.spring.actuator;

import cloudflow.flink.CheckpointSummary;
import cloudflow.flink.JobSetup;
import cloudflow.flink.StoredRestorePoint;
import cloudflow.flink.StreamletControlException;
import cloudflow.flink.StreamletExecution;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code streamlets} actuator endpoint: what each streamlet of this process runs and how it
 * stands (mode, job, parallelism, delivery guarantee, topics, restarts, checkpoints, savepoints), and
 * the operations an operator needs (a savepoint now, suspend, resume, restart). Not exposed by
 * default: {@code management.endpoints.web.exposure.include=health,info,prometheus,streamlets};
 * {@code management.endpoint.streamlets.access=read-only} keeps the reads and refuses the operations.
 *
 * <p>{@code GET /actuator/streamlets} lists them, {@code GET /actuator/streamlets/<name>} shows one,
 * {@code POST /actuator/streamlets/<name>} with {@code {"action":"savepoint|suspend|resume|restart"}}
 * acts on one ({@link StreamletsEndpointWebExtension} gives the HTTP status of a refused action).
 */
@Endpoint(id = "streamlets")
public class StreamletsEndpoint {

  private final StreamletLauncher launcher;

  /** @param launcher runs this process's streamlets */
  public StreamletsEndpoint(StreamletLauncher launcher) {
    this.launcher = launcher;
  }

  /** Every streamlet of this process, by name. */
  @ReadOperation
  public StreamletsDescriptor streamlets() {
    Map<String, StreamletDescriptor> streamlets = new LinkedHashMap<>();
    launcher.definitions().forEach(definition -> streamlets.put(definition.streamletRef(), describe(definition)));
    return new StreamletsDescriptor(streamlets);
  }

  /** One streamlet; {@code null} (404 over HTTP) when this process does not run it. */
  @ReadOperation
  public StreamletDescriptor streamlet(@Selector String name) {
    return launcher.definitions().stream().filter(d -> d.streamletRef().equals(name)).findFirst()
        .map(this::describe).orElse(null);
  }

  /**
   * Acts on one streamlet and waits for Flink (at most {@code cloudflow.shutdown-timeout}).
   *
   * @param name the streamlet
   * @param action {@code savepoint} (returns its path), {@code suspend} (stop with a savepoint; the
   *     process stays, readiness DOWN), {@code resume} (from the newest savepoint or checkpoint) or
   *     {@code restart}; suspending a suspended streamlet or resuming a running one does nothing
   * @throws StreamletControlException when the action does not fit the streamlet's state or fails
   */
  @WriteOperation
  public ActionResult act(@Selector String name, String action) {
    Action chosen = Action.parse(action);
    String savepoint = null;
    switch (chosen) {
      case SAVEPOINT -> savepoint = launcher.savepoint(name);
      case SUSPEND -> savepoint = launcher.suspend(name).stoppedWithSavepoint().orElse(null);
      case RESUME -> launcher.resume(name);
      case RESTART -> launcher.restart(name);
    }
    return new ActionResult(name, chosen.name().toLowerCase(Locale.ROOT), savepoint, streamlet(name));
  }

  private StreamletDescriptor describe(StreamletDefinition definition) {
    StreamletExecution execution;
    try {
      execution = launcher.execution(definition.streamletRef());
    } catch (StreamletControlException notYet) {
      return new StreamletDescriptor(null, null, "NOT_SUBMITTED", false, null, definition.deliveryGuarantee().name(),
          definition.portMappings(), 0, null, null, null, List.of());
    }
    JobSetup setup = execution.setup().orElse(null);
    return new StreamletDescriptor(
        setup == null ? null : setup.mode(),
        execution.jobId().orElse(null),
        execution.describe(),
        execution.running(),
        setup == null ? null : setup.parallelism(),
        definition.deliveryGuarantee().name(),
        definition.portMappings(),
        execution.restarts(),
        execution.lastCompletedCheckpoint().map(CheckpointDescriptor::of).orElse(null),
        setup == null ? null : setup.restoredFrom(),
        setup == null ? null : setup.stateDirectory(),
        execution.savepointsOnDisk().stream().map(SavepointDescriptor::of).toList());
  }

  /** The actions of {@link #act}. */
  enum Action {
    SAVEPOINT, SUSPEND, RESUME, RESTART;

    static Action parse(String action) {
      for (Action a : values()) {
        if (a.name().equalsIgnoreCase(action == null ? "" : action.trim())) {
          return a;
        }
      }
      throw new InvalidEndpointRequestException("Unknown action '" + action + "': use savepoint, suspend, resume or restart",
          "Unknown action");
    }
  }

  /** Every streamlet of this process, by name. */
  public record StreamletsDescriptor(Map<String, StreamletDescriptor> streamlets) implements OperationResponseBody {}

  /**
   * One streamlet as it stands.
   *
   * @param mode where its job runs: local, remote or application; null before it is submitted
   * @param jobId its Flink job's id (the last job's while it is suspended)
   * @param state its job's status, with the reason when it does not run (SUSPENDED, tasks starting)
   * @param running whether it processes records: the job and all its tasks run (what readiness says)
   * @param parallelism its job's default parallelism; null: the cluster's
   * @param deliveryGuarantee how its outlets write
   * @param ports the Kafka topic of each of its ports
   * @param restarts how often its job restarted since it was submitted
   * @param lastCompletedCheckpoint its job's newest completed checkpoint, as the cluster reports it
   * @param restoredFrom the checkpoint or savepoint its job started from; null: without state
   * @param stateDirectory where its checkpoints and savepoints are; null: the cluster chooses
   * @param savepoints its savepoints on disk, newest first
   */
  public record StreamletDescriptor(
      String mode, String jobId, String state, boolean running, Integer parallelism, String deliveryGuarantee,
      Map<String, String> ports, int restarts, CheckpointDescriptor lastCompletedCheckpoint, String restoredFrom,
      String stateDirectory, List<SavepointDescriptor> savepoints) implements OperationResponseBody {}

  /**
   * A completed checkpoint.
   *
   * @param id its id within the job
   * @param completedAt when it completed (ISO-8601)
   * @param sizeBytes its size
   * @param path where it is, null when the cluster did not say
   * @param savepoint whether it was a savepoint
   */
  public record CheckpointDescriptor(long id, String completedAt, long sizeBytes, String path, boolean savepoint) {
    static CheckpointDescriptor of(CheckpointSummary summary) {
      return new CheckpointDescriptor(summary.id(), String.valueOf(summary.completedAt()), summary.sizeBytes(),
          summary.path(), summary.savepoint());
    }
  }

  /**
   * A savepoint on disk.
   *
   * @param path where it is: a {@code restore-from} value
   * @param completedAt when it was written (ISO-8601)
   */
  public record SavepointDescriptor(String path, String completedAt) {
    static SavepointDescriptor of(StoredRestorePoint point) {
      return new SavepointDescriptor(point.path(), point.completedAt().toString());
    }
  }

  /**
   * What an action did.
   *
   * @param streamlet the streamlet
   * @param action the action
   * @param savepoint the savepoint it took (savepoint, suspend), else null
   * @param now the streamlet after it (a resumed or restarted job is submitted, not yet running:
   *     readiness says when it runs)
   */
  public record ActionResult(String streamlet, String action, String savepoint, StreamletDescriptor now)
      implements OperationResponseBody {}
}
