package cloudflow.streamlets;

/** A config parameter whose value is a floating point number. */
public final class DoubleConfigParameter extends ConfigParameter<Double> {

  private DoubleConfigParameter(String key, String description, String defaultValue) {
    super(key, description, "double", defaultValue, (c, p) -> c.getDouble(p));
  }

  /** A required parameter: the streamlet does not start without a value. */
  public static DoubleConfigParameter create(String key, String description) {
    return new DoubleConfigParameter(key, description, null);
  }

  /** A copy of this parameter that uses {@code value} when none is set. */
  public DoubleConfigParameter withDefaultValue(Double value) {
    return new DoubleConfigParameter(key(), description(), String.valueOf(value));
  }
}
