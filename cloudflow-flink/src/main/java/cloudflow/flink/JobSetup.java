package cloudflow.flink;

/**
 * How a streamlet's job was set up when it was submitted, for operators (the {@code streamlets}
 * actuator endpoint).
 *
 * @param mode where it runs: {@code local} (a Flink cluster in this process), {@code remote} (a
 *     session cluster) or {@code application} (inside the Flink cluster that runs the application)
 * @param parallelism its default parallelism, or {@code null} when the cluster's own default applies
 * @param restoredFrom the checkpoint or savepoint it started from, or {@code null} when it started without state
 * @param stateDirectory the streamlet's checkpoint directory (all runs' checkpoints and its savepoints),
 *     or {@code null} when the cluster chooses
 */
public record JobSetup(String mode, Integer parallelism, String restoredFrom, String stateDirectory) {}
