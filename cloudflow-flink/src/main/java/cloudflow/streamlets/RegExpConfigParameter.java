package cloudflow.streamlets;

import java.util.Optional;
import java.util.regex.Pattern;

/** A config parameter whose value is a string that must match a regular expression. */
public final class RegExpConfigParameter extends ConfigParameter<String> {

  private final String pattern;

  private RegExpConfigParameter(String key, String description, String pattern, String defaultValue) {
    super(key, description, "string", defaultValue, (c, p) -> matching(c.getString(p), pattern));
    this.pattern = pattern;
    Pattern.compile(pattern);
  }

  /** A required parameter whose value must match {@code pattern} as a whole. */
  public static RegExpConfigParameter create(String key, String description, String pattern) {
    return new RegExpConfigParameter(key, description, pattern, null);
  }

  /** A copy of this parameter that uses {@code value} when none is set. */
  public RegExpConfigParameter withDefaultValue(String value) {
    return new RegExpConfigParameter(key(), description(), pattern, value);
  }

  @Override
  public Optional<String> pattern() {
    return Optional.of(pattern);
  }

  private static String matching(String value, String pattern) {
    if (!value.matches(pattern)) {
      throw new IllegalArgumentException("it does not match " + pattern);
    }
    return value;
  }
}
