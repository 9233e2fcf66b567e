package cloudflow.streamlets;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * A config parameter whose value is a duration in HOCON's format, such as '10s' or '5 minutes'
 * (units ns, us, ms, s, m, h, d and their long names).
 */
public final class DurationConfigParameter extends ConfigParameter<Duration> {

  private DurationConfigParameter(String key, String description, String defaultValue) {
    super(key, description, "duration", defaultValue, DurationConfigParameter::read);
  }

  private static Duration read(Config config, String path) {
    return config.getDuration(path);
  }

  /** A required parameter: the streamlet does not start without a value. */
  public static DurationConfigParameter create(String key, String description) {
    return new DurationConfigParameter(key, description, null);
  }

  /** A copy of this parameter that uses {@code value} when none is set. */
  public DurationConfigParameter withDefaultValue(Duration value) {
    return new DurationConfigParameter(key(), description(), value.toMillis() + " ms");
  }

  /**
   * A copy of this parameter that uses {@code value}, written as in a config file (for example
   * "5 minutes"), when none is set. This is Cloudflow's signature.
   *
   * @throws IllegalArgumentException when {@code value} is not a HOCON duration
   */
  public DurationConfigParameter withDefaultValue(String value) {
    return new DurationConfigParameter(
        key(), description(), checkedDefault(value, DurationConfigParameter::read, "duration"));
  }
}
