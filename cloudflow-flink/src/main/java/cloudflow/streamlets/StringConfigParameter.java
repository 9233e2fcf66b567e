package cloudflow.streamlets;

/** A config parameter whose value is a text. */
public final class StringConfigParameter extends ConfigParameter<String> {

  private StringConfigParameter(String key, String description, String defaultValue) {
    super(key, description, "string", defaultValue, (c, p) -> c.getString(p));
  }

  /** A required parameter: the streamlet does not start without a value. */
  public static StringConfigParameter create(String key, String description) {
    return new StringConfigParameter(key, description, null);
  }

  /** A copy of this parameter that uses {@code value} when none is set. */
  public StringConfigParameter withDefaultValue(String value) {
    return new StringConfigParameter(key(), description(), value);
  }
}
