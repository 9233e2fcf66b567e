package cloudflow.streamlets;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigMemorySize;

/**
 * A config parameter whose value is a memory size in HOCON's format, such as '512M', '64 MiB' or
 * '1 GB'. Its value is a {@link ConfigMemorySize}, as in Cloudflow; {@code toBytes()} gives the
 * number of bytes.
 */
public final class MemorySizeConfigParameter extends ConfigParameter<ConfigMemorySize> {

  private MemorySizeConfigParameter(String key, String description, String defaultValue) {
    super(key, description, "memorysize", defaultValue, MemorySizeConfigParameter::read);
  }

  private static ConfigMemorySize read(Config config, String path) {
    return config.getMemorySize(path);
  }

  /** A required parameter: the streamlet does not start without a value. */
  public static MemorySizeConfigParameter create(String key, String description) {
    return new MemorySizeConfigParameter(key, description, null);
  }

  /** A copy of this parameter that uses {@code bytes} when none is set. */
  public MemorySizeConfigParameter withDefaultValue(Long bytes) {
    return new MemorySizeConfigParameter(key(), description(), bytes + " B");
  }

  /**
   * A copy of this parameter that uses {@code value}, written as in a config file (for example
   * "512M"), when none is set. This is Cloudflow's signature.
   *
   * @throws IllegalArgumentException when {@code value} is not a HOCON memory size
   */
  public MemorySizeConfigParameter withDefaultValue(String value) {
    return new MemorySizeConfigParameter(
        key(), description(), checkedDefault(value, MemorySizeConfigParameter::read, "memory size"));
  }
}
