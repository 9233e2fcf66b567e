package cloudflow.flink.spring.deploy;

import java.time.Duration;

/**
 * What the application's own settings ({@code cloudflow.*}) say about a streamlet that its manifests
 * must agree with.
 *
 * @param name the streamlet's name in the blueprint
 * @param parallelism {@code cloudflow.streamlets.<name>.parallelism}, else the default parallelism
 * @param checkpointInterval the configured interval, or null for the runtime's default
 * @param stateBackend hashmap or rocksdb, or null for hashmap
 * @param retainedCheckpoints completed checkpoints to keep, or null for Flink's default
 * @param exactlyOnce whether its outlets deliver exactly once (its checkpoints then come every second)
 */
public record StreamletFacts(
    String name, int parallelism, Duration checkpointInterval, String stateBackend, Integer retainedCheckpoints,
    boolean exactlyOnce) {

  /** A streamlet with the runtime's defaults and the given parallelism. */
  public static StreamletFacts of(String name, int parallelism) {
    return new StreamletFacts(name, parallelism, null, null, null, false);
  }
}
