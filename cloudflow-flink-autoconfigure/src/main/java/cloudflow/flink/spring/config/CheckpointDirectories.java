package cloudflow.flink.spring.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
   * The default directory: {@code ./checkpoints} so that a restarted process resumes; a new
   * temporary directory with the embedded broker, whose topics are gone after a restart too.
   */
  public static String defaultDirectory(boolean embeddedBroker) {
    if (!embeddedBroker) {
      return Path.of("checkpoints").toAbsolutePath().toUri().toString();
    }
    try {
      return Files.createTempDirectory("cloudflow-checkpoints").toUri().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary checkpoint directory", e);
    }
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
