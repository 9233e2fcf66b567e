package cloudflow.flink.spring.config;

import cloudflow.flink.runtime.ProcessTempDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where checkpoints go when the user does not say, and plain paths turned into the URIs Flink wants.
 */
public final class CheckpointDirectories {

  /** Flink's checkpoint directory key. */
  public static final String KEY = "execution.checkpointing.dir";

  private CheckpointDirectories() {}

  /**
   * The default directory: {@code ./checkpoints} so that a restarted process resumes; with the
   * embedded broker, whose topics are gone after a restart too, {@code checkpoints} in the process's
   * temporary directory, deleted when the process stops.
   *
   * @param embeddedBroker whether the topics live on the embedded broker
   * @param temporary the process's temporary directory, held for as long as the checkpoints are written
   */
  public static String defaultDirectory(boolean embeddedBroker, ProcessTempDirectory temporary) {
    if (!embeddedBroker) {
      return Path.of("checkpoints").toAbsolutePath().toUri().toString();
    }
    return temporary.subdirectory("checkpoints").toUri().toString();
  }

  /** The settings with a checkpoint directory given as a plain (possibly relative) path made a file URI. */
  public static Map<String, String> normalize(Map<String, String> flinkSettings) {
    String directory = flinkSettings.get(KEY);
    if (directory == null || directory.contains(":")) {
      return flinkSettings;
    }
    Map<String, String> normalized = new LinkedHashMap<>(flinkSettings);
    normalized.put(KEY, Path.of(directory).toAbsolutePath().toUri().toString());
    return normalized;
  }
}
