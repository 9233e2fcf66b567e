package cloudflow.streamlets;

/** A config parameter whose value is a duration such as '10s' or '5 minutes'. */
public final class DurationConfigParameter extends ConfigParameter<java.time.Duration> {

  private DurationConfigParameter(String key, String description, String defaultValue) {
    super(key, description, "duration", defaultValue, (c, p) -> c.getDuration(p));
  }

  /** A required parameter: the streamlet does not start without a value. */
  public static DurationConfigParameter create(String key, String description) {
    return new DurationConfigParameter(key, description, null);
  }

  /** A copy of this parameter that uses {@code value} when none is set. */
  public DurationConfigParameter withDefaultValue(java.time.Duration value) {
    return new DurationConfigParameter(key(), description(), value.toMillis() + " ms");
  }
}
