package cloudflow.streamlets;

/** A config parameter whose value is a boolean (true or false). */
public final class BooleanConfigParameter extends ConfigParameter<Boolean> {

  private BooleanConfigParameter(String key, String description, String defaultValue) {
    super(key, description, "bool", defaultValue, (c, p) -> c.getBoolean(p));
  }

  /** A required parameter: the streamlet does not start without a value. */
  public static BooleanConfigParameter create(String key, String description) {
    return new BooleanConfigParameter(key, description, null);
  }

  /** A copy of this parameter that uses {@code value} when none is set. */
  public BooleanConfigParameter withDefaultValue(Boolean value) {
    return new BooleanConfigParameter(key(), description(), String.valueOf(value));
  }
}
