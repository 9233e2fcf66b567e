package cloudflow.streamlets;

/** A config parameter whose value is a 32-bit integer. */
public final class IntegerConfigParameter extends ConfigParameter<Integer> {

  private IntegerConfigParameter(String key, String description, String defaultValue) {
    super(key, description, "int32", defaultValue, (c, p) -> (int) wholeNumber(c, p, Integer.MIN_VALUE, Integer.MAX_VALUE));
  }

  /** A required parameter: the streamlet does not start without a value. */
  public static IntegerConfigParameter create(String key, String description) {
    return new IntegerConfigParameter(key, description, null);
  }

  /** A copy of this parameter that uses {@code value} when none is set. */
  public IntegerConfigParameter withDefaultValue(Integer value) {
    return new IntegerConfigParameter(key(), description(), String.valueOf(value));
  }
}
