package cloudflow.streamlets;

/** A config parameter whose value is a memory size in bytes such as '64M' or '1 GiB'. */
public final class MemorySizeConfigParameter extends ConfigParameter<Long> {

  private MemorySizeConfigParameter(String key, String description, String defaultValue) {
    super(key, description, "memorysize", defaultValue, (c, p) -> c.getBytes(p));
  }

  /** A required parameter: the streamlet does not start without a value. */
  public static MemorySizeConfigParameter create(String key, String description) {
    return new MemorySizeConfigParameter(key, description, null);
  }

  /** A copy of this parameter that uses {@code value} when none is set. */
  public MemorySizeConfigParameter withDefaultValue(Long value) {
    return new MemorySizeConfigParameter(key(), description(), value + " B");
  }
}
