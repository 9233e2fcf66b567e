package cloudflow.streamlets;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * A typed setting a streamlet declares in {@code defineConfigParams()} (or Cloudflow's
 * {@code defineConfigParameters()}). Its value is set per
 * streamlet name ({@code cloudflow.streamlets.<name>.config-parameters.<key>}), checked before the
 * streamlet runs, and read by the logic with {@link #getValue(StreamletContext)}.
 *
 * <p>Create one with the factory of its kind, for example
 * {@code IntegerConfigParameter.create("window-size", "Records per window").withDefaultValue(64)}.
 *
 * <p>Parameters are serializable, as Cloudflow's were, so a function shipped to Flink's task managers
 * may read one through a captured logic or streamlet.
 *
 * @param <T> the value's Java type
 */
public abstract class ConfigParameter<T> implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Reads a parameter's typed value at a path of a {@code Config}; serializable because the
   * parameter is.
   *
   * @param <V> the value's Java type
   */
  @FunctionalInterface
  protected interface Reader<V> extends Serializable {
    /** The value at {@code path}; throws Typesafe Config's exceptions or IllegalArgumentException. */
    V apply(Config config, String path);
  }

  private static final Pattern KEY = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final String key;
  private final String description;
  private final String type;
  private final String defaultValue;
  private final Reader<T> reader;

  /**
   * Creates a parameter.
   *
   * @param key the key under the streamlet's config parameters: lowercase letters, digits and '-'
   * @param description what the value means, shown by describe and in error messages
   * @param type the kind's name, as Cloudflow named it (string, int32, int64, double, bool, duration, memorysize)
   * @param defaultValue the default as it would be written in configuration, or {@code null} if required
   * @param reader reads the typed value at a path of a {@code Config}
   */
  protected ConfigParameter(
      String key, String description, String type, String defaultValue, Reader<T> reader) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "Invalid config parameter key '" + key + "': use lowercase letters, digits and '-'");
    }
    this.key = key;
    this.description = Objects.requireNonNull(description, "description");
    this.type = type;
    this.defaultValue = defaultValue;
    this.reader = reader;
  }

  /** The key under the streamlet's config parameters. */
  public String key() {
    return key;
  }

  /** Cloudflow's Java name for {@link #key()}. */
  public String getKey() {
    return key;
  }

  /** What the value means. */
  public String description() {
    return description;
  }

  /** The kind of value: string, int32, int64, double, bool, duration or memorysize. */
  public String type() {
    return type;
  }

  /** The default, as written in configuration, if there is one. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The pattern a value must match, for regular-expression parameters. */
  public Optional<String> pattern() {
    return Optional.empty();
  }

  /** The value of this parameter in the running streamlet. */
  public T getValue(StreamletContext context) {
    return read(context.streamletConfig());
  }

  /** Cloudflow's name for {@link #getValue(StreamletContext)} (its Scala DSL passed the context implicitly). */
  public T value(StreamletContext context) {
    return getValue(context);
  }

  /**
   * Parses {@code value} as a config file would and reads it with {@code reader}, so that a bad
   * default fails where the parameter is declared instead of when the streamlet starts.
   */
  protected static <V> String checkedDefault(String value, Reader<V> reader, String type) {
    Objects.requireNonNull(value, "value");
    try {
      reader.apply(ConfigFactory.parseString("v = " + ConfigUtil.quoteString(value)), "v");
      return value;
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Invalid default '" + value + "': not a " + type, e);
    }
  }

  /** The value of this parameter in a streamlet config (see {@link StreamletContext#streamletConfig()}). */
  public T read(Config streamletConfig) {
    String path = ConfigUtil.quoteString(key);
    if (!streamletConfig.hasPath(path) && defaultValue != null) {
      return reader.apply(ConfigFactory.parseString(path + " = " + ConfigUtil.quoteString(defaultValue)), path);
    }
    return reader.apply(streamletConfig, path);
  }

  /**
   * Why the value in {@code streamletConfig} cannot be used, or empty when it can.
   *
   * @param property the full property name, named in the message
   */
  public Optional<String> validate(Config streamletConfig, String property) {
    String path = ConfigUtil.quoteString(key);
    if (!streamletConfig.hasPath(path) && defaultValue == null) {
      return Optional.of(property + " is required (" + type + ": " + description + ") but not set");
    }
    try {
      read(streamletConfig);
      return Optional.empty();
    } catch (ConfigException | IllegalArgumentException e) {
      String value = streamletConfig.hasPath(path) ? streamletConfig.getValue(path).unwrapped().toString() : defaultValue;
      return Optional.of(property + " = '" + value + "' is not a valid " + type + problem(e));
    }
  }

  /**
   * Why a streamlet's parameter values cannot be used: one line per problem, naming its property
   * {@code cloudflow.streamlets.<streamlet>.config-parameters.<key>}. Empty when all can be used.
   */
  public static List<String> problems(ConfigParameter<?>[] parameters, String streamletRef, Config streamletConfig) {
    List<String> problems = new ArrayList<>();
    for (ConfigParameter<?> parameter : parameters) {
      String property = "cloudflow.streamlets." + streamletRef + ".config-parameters." + parameter.key();
      parameter.validate(streamletConfig, property).ifPresent(problems::add);
    }
    return problems;
  }

  /**
   * Reads a whole number within {@code [min, max]}; Typesafe Config's own integer getters would
   * silently truncate a fraction such as 3.5.
   */
  protected static long wholeNumber(Config config, String path, long min, long max) {
    BigDecimal value = new BigDecimal(config.getNumber(path).toString());
    if (value.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("it is not a whole number");
    }
    if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new IllegalArgumentException("it is out of range [" + min + ", " + max + "]");
    }
    return value.longValue();
  }

  private static String problem(RuntimeException e) {
    return e instanceof IllegalArgumentException ? ": " + e.getMessage() : "";
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + key + ")";
  }
}
