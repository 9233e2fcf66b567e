package cloudflow.streamlets;

/** A config parameter whose value is a 64-bit integer. */
public final class LongConfigParameter extends ConfigParameter<Long> {

  private LongConfigParameter(String key, String description, String defaultValue) {
    super(key, description, "int64", defaultValue, (c, p) -> wholeNumber(c, p, Long.MIN_VALUE, Long.MAX_VALUE));
  }

  /** A required parameter: the streamlet does not start without a value. */
  public static LongConfigParameter create(String key, String description) {
    return new LongConfigParameter(key, description, null);
  }

  /** A copy of this parameter that uses {@code value} when none is set. */
  public LongConfigParameter withDefaultValue(Long value) {
    return new LongConfigParameter(key(), description(), String.valueOf(value));
  }
}
