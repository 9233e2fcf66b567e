package cloudflow.flink.spring.streamlets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.plan.ConfigParameterValues;
import cloudflow.flink.plan.InvalidStreamletPlanException;
import cloudflow.flink.spring.config.EnvironmentConfigFactory;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.flink.spring.properties.CloudflowProperties;
import cloudflow.flink.spring.testsupport.ParameterizedIngress;
import cloudflow.flink.spring.testsupport.ReadingIngress;
import cloudflow.streamlets.StreamletContext;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Tests for {@link ConfigParameterValues}: values of a streamlet's declared config parameters reach
 * its config from application properties, environment variables and the command line, and every
 * missing or invalid value is reported at once, naming its property. Each test goes the way the
 * auto-configuration does: an {@link StandardEnvironment} with the given property sources (attached
 * to configuration property sources as {@code SpringApplication} does), {@link CloudflowProperties}
 * bound from it, the config built by {@link EnvironmentConfigFactory}.
 */
class ConfigParameterValuesTest {

  private static final String REF = "source";
  private static final String PREFIX = "cloudflow.streamlets.source.config-parameters.";

  private final ParameterizedIngress streamlet = new ParameterizedIngress();

  // --- where values come from ---

  @Test
  void usesTheDeclaredDefaultsForUnsetParameters() {
    StreamletContext context = contextOver(apply(properties("threshold", "1.5")));

    assertThat(streamlet.greeting.getValue(context)).isEqualTo("hello");
    assertThat(streamlet.batchSize.getValue(context)).isEqualTo(64);
    assertThat(streamlet.maxRecords.getValue(context)).isEqualTo(5_000_000_000L);
    assertThat(streamlet.enabled.getValue(context)).isTrue();
    assertThat(streamlet.interval.getValue(context)).isEqualTo(Duration.ofSeconds(10));
    assertThat(streamlet.bufferSize.getValue(context).toBytes()).isEqualTo(ParameterizedIngress.DEFAULT_BUFFER_BYTES);
    assertThat(streamlet.sensorId.getValue(context)).isEqualTo("sensor-1");
  }

  @Test
  void readsEveryKindOfValueFromApplicationProperties() {
    StreamletContext context = contextOver(apply(properties(
        "threshold", "2.5",
        "greeting", "hi there",
        "batch-size", "128",
        "max-records", "6000000000",
        "enabled", "false",
        "interval", "250ms",
        "buffer-size", "1 GiB",
        "sensor-id", "sensor-42")));

    assertThat(streamlet.threshold.getValue(context)).isEqualTo(2.5);
    assertThat(streamlet.greeting.getValue(context)).isEqualTo("hi there");
    assertThat(streamlet.batchSize.getValue(context)).isEqualTo(128);
    assertThat(streamlet.maxRecords.getValue(context)).isEqualTo(6_000_000_000L);
    assertThat(streamlet.enabled.getValue(context)).isFalse();
    assertThat(streamlet.interval.getValue(context)).isEqualTo(Duration.ofMillis(250));
    assertThat(streamlet.bufferSize.getValue(context).toBytes()).isEqualTo(1024L * 1024 * 1024);
    assertThat(streamlet.sensorId.getValue(context)).isEqualTo("sensor-42");
  }

  @Test
  void readsDurationsAndMemorySizesInTheirUnits() {
    StreamletContext context =
        contextOver(apply(properties("threshold", "1", "interval", "5 minutes", "buffer-size", "2M")));
    StreamletContext decimal = contextOver(apply(properties("threshold", "1", "buffer-size", "2MB")));

    assertThat(streamlet.interval.getValue(context)).isEqualTo(Duration.ofMinutes(5));
    assertThat(streamlet.bufferSize.getValue(context).toBytes()).as("2M, in bytes").isEqualTo(2L * 1024 * 1024);
    assertThat(streamlet.bufferSize.getValue(decimal).toBytes()).as("2MB, in bytes").isEqualTo(2_000_000L);
  }

  @Test
  void bindsAnEnvironmentVariableToTheKeyWithoutItsDashes() {
    StandardEnvironment environment = environment(environmentVariables(
        "CLOUDFLOW_STREAMLETS_SOURCE_CONFIGPARAMETERS_BATCHSIZE", "256"));

    CloudflowProperties properties = Binder.get(environment).bindOrCreate("cloudflow", CloudflowProperties.class);

    assertThat(properties.getStreamlets().get(REF).getConfigParameters()).containsExactly(Map.entry("batchsize", "256"));
  }

  @Test
  void readsAValueFromAnEnvironmentVariable() {
    StreamletContext context = contextOver(apply(environmentVariables(
        "CLOUDFLOW_STREAMLETS_SOURCE_CONFIGPARAMETERS_THRESHOLD", "7.5",
        "CLOUDFLOW_STREAMLETS_SOURCE_CONFIGPARAMETERS_BATCHSIZE", "256",
        "CLOUDFLOW_STREAMLETS_SOURCE_CONFIGPARAMETERS_BUFFERSIZE", "16M")));

    assertThat(streamlet.threshold.getValue(context)).isEqualTo(7.5);
    assertThat(streamlet.batchSize.getValue(context)).isEqualTo(256);
    assertThat(streamlet.bufferSize.getValue(context).toBytes()).isEqualTo(16L * 1024 * 1024);
  }

  @Test
  void readsAnEnvironmentVariableOfAStreamletWhoseNameHasDashes() {
    Config config = apply("fast-source", streamlet, environmentVariables(
        "CLOUDFLOW_STREAMLETS_FASTSOURCE_CONFIGPARAMETERS_THRESHOLD", "3.5",
        "CLOUDFLOW_STREAMLETS_FASTSOURCE_CONFIGPARAMETERS_SENSORID", "sensor-9"));

    StreamletContext context = contextOver("fast-source", config);
    assertThat(streamlet.threshold.getValue(context)).isEqualTo(3.5);
    assertThat(streamlet.sensorId.getValue(context)).isEqualTo("sensor-9");
  }

  @Test
  void letsAnEnvironmentVariableOverrideApplicationProperties() {
    StreamletContext context = contextOver(apply(
        environmentVariables("CLOUDFLOW_STREAMLETS_SOURCE_CONFIGPARAMETERS_BATCHSIZE", "256"),
        properties("threshold", "1.5", "batch-size", "128")));

    assertThat(streamlet.batchSize.getValue(context)).isEqualTo(256);
  }

  @Test
  void readsAValueFromTheCommandLine() {
    StreamletContext context = contextOver(apply(new SimpleCommandLinePropertySource(
        "--" + PREFIX + "threshold=9.25", "--" + PREFIX + "interval=2s", "--" + PREFIX + "enabled=false")));

    assertThat(streamlet.threshold.getValue(context)).isEqualTo(9.25);
    assertThat(streamlet.interval.getValue(context)).isEqualTo(Duration.ofSeconds(2));
    assertThat(streamlet.enabled.getValue(context)).isFalse();
  }

  @Test
  void letsTheCommandLineOverrideEnvironmentVariablesAndApplicationProperties() {
    StreamletContext context = contextOver(apply(
        new SimpleCommandLinePropertySource("--" + PREFIX + "batch-size=512"),
        environmentVariables("CLOUDFLOW_STREAMLETS_SOURCE_CONFIGPARAMETERS_BATCHSIZE", "256"),
        properties("threshold", "1.5", "batch-size", "128")));

    assertThat(streamlet.batchSize.getValue(context)).isEqualTo(512);
  }

  @Test
  void keepsTheOtherSettingsOfTheConfig() {
    Config config = apply(properties("threshold", "1.5"), new MapPropertySource("app", Map.of("app.greeting", "hey")));

    assertThat(config.getString("app.greeting")).isEqualTo("hey");
  }

  @Test
  void leavesTheConfigAsItIsForAStreamletWithoutParameters() {
    Config config = ConfigFactory.parseMap(Map.of("app.greeting", "hey"));

    assertThat(applyAsTheStarterDoes(REF, new ReadingIngress(), Map.of(), config)).isSameAs(config);
  }

  @Test
  void reportsAValueForAKeyTheStreamletDoesNotDeclare() {
    Config config = ConfigFactory.parseMap(Map.of("app.greeting", "hey"));

    assertThatThrownBy(() -> applyAsTheStarterDoes(REF, new ReadingIngress(), Map.of("anything", "1"), config))
        .isInstanceOf(StreamletConfigurationException.class)
        .hasMessageContaining("cloudflow.streamlets." + REF + ".config-parameters.anything is not a config parameter of this streamlet; its parameters: none");
  }

  // --- what is wrong, by property ---

  @Test
  void reportsAMissingRequiredParameterNamingItsProperty() {
    assertThat(problems(properties()))
        .contains(PREFIX + "threshold is required (double: Readings above this are alerts) but not set");
  }

  @Test
  void reportsAValueThatIsNotAnInt32() {
    assertThat(problemsWith("batch-size", "twelve")).contains(PREFIX + "batch-size = 'twelve' is not a valid int32");
  }

  @Test
  void reportsAnInt32OutOfRange() {
    assertThat(problemsWith("batch-size", "3000000000")).contains(PREFIX + "batch-size = '3000000000' is not a valid int32");
  }

  @Test
  void reportsAFractionGivenForAnInt32() {
    // an integer parameter must not silently read 3.5 as 3
    assertThatThrownBy(() -> streamlet.batchSize.getValue(contextOver(apply(properties("threshold", "1", "batch-size", "3.5")))))
        .as("batch-size = 3.5 read as an int32")
        .isInstanceOf(StreamletConfigurationException.class)
        .hasMessageContaining(PREFIX + "batch-size = '3.5' is not a valid int32");
  }

  @Test
  void reportsAFractionGivenForAnInt64() {
    assertThatThrownBy(() -> streamlet.maxRecords.getValue(contextOver(apply(properties("threshold", "1", "max-records", "2.5")))))
        .as("max-records = 2.5 read as an int64")
        .isInstanceOf(StreamletConfigurationException.class)
        .hasMessageContaining(PREFIX + "max-records = '2.5' is not a valid int64");
  }

  @Test
  void reportsAValueThatIsNotAnInt64() {
    assertThat(problemsWith("max-records", "many")).contains(PREFIX + "max-records = 'many' is not a valid int64");
  }

  @Test
  void reportsAValueThatIsNotADouble() {
    assertThat(problemsWith("threshold", "high")).contains(PREFIX + "threshold = 'high' is not a valid double");
  }

  @Test
  void reportsAValueThatIsNotABoolean() {
    assertThat(problemsWith("enabled", "maybe")).contains(PREFIX + "enabled = 'maybe' is not a valid bool");
  }

  @Test
  void reportsAValueThatIsNotADuration() {
    assertThat(problemsWith("interval", "soon")).contains(PREFIX + "interval = 'soon' is not a valid duration");
  }

  @Test
  void reportsAValueThatIsNotAMemorySize() {
    assertThat(problemsWith("buffer-size", "lots")).contains(PREFIX + "buffer-size = 'lots' is not a valid memorysize");
  }

  @Test
  void reportsAValueThatDoesNotMatchThePatternNamingThePattern() {
    assertThat(problemsWith("sensor-id", "probe-7"))
        .contains(PREFIX + "sensor-id = 'probe-7' is not a valid string: it does not match sensor-[0-9]+");
  }

  @Test
  void reportsAnInvalidValueThatCameFromAnEnvironmentVariableUnderItsProperty() {
    String message = failure(environmentVariables(
        "CLOUDFLOW_STREAMLETS_SOURCE_CONFIGPARAMETERS_THRESHOLD", "1",
        "CLOUDFLOW_STREAMLETS_SOURCE_CONFIGPARAMETERS_BATCHSIZE", "lots")).getMessage();

    assertThat(message).contains(PREFIX + "batch-size = 'lots' is not a valid int32");
  }

  @Test
  void reportsEveryProblemAtOnceOneLineEach() {
    StreamletConfigurationException failure =
        failure(properties("batch-size", "twelve", "interval", "soon", "sensor-id", "probe-7"));

    assertThat(failure.getMessage())
        .startsWith("Streamlet 'source' has invalid config parameters:\n")
        .contains("\n  - " + PREFIX + "threshold is required")
        .contains("\n  - " + PREFIX + "batch-size = 'twelve'")
        .contains("\n  - " + PREFIX + "interval = 'soon'")
        .contains("\n  - " + PREFIX + "sensor-id = 'probe-7'");
    assertThat(failure.getMessage().lines().filter(line -> line.startsWith("  - "))).hasSize(4);
    assertThat(failure.getAction()).contains("application.yml", "environment variable", "command line");
  }

  // --- helpers ---

  private String problemsWith(String key, String value) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put(PREFIX + "threshold", "1.5");
    values.put(PREFIX + key, value);
    return problems(new MapPropertySource("application", values));
  }

  private String problems(PropertySource<?> source) {
    return failure(source).getMessage();
  }

  private StreamletConfigurationException failure(PropertySource<?>... sources) {
    StreamletConfigurationException failure =
        catchThrowableOfType(StreamletConfigurationException.class, () -> apply(sources));
    assertThat(failure).as("a StreamletConfigurationException").isNotNull();
    return failure;
  }

  private Config apply(PropertySource<?>... sources) {
    return apply(REF, streamlet, sources);
  }

  /** What the auto-configuration does for one streamlet, given property sources by precedence (highest first). */
  private static Config apply(String ref, ParameterizedIngress streamlet, PropertySource<?>... sources) {
    StandardEnvironment environment = environment(sources);
    CloudflowProperties properties = Binder.get(environment).bindOrCreate("cloudflow", CloudflowProperties.class);
    CloudflowProperties.Streamlet settings = StreamletSelection.settingsFor(properties, ref);
    Map<String, String> bound = settings == null ? Map.of() : settings.getConfigParameters();
    return applyAsTheStarterDoes(ref, streamlet, bound, EnvironmentConfigFactory.create(environment));
  }

  /** The core's check with this starter's property names, its failure as the starter reports it. */
  private static Config applyAsTheStarterDoes(String ref, FlinkStreamlet streamlet, Map<String, String> bound, Config config) {
    try {
      return ConfigParameterValues.apply(ref, streamlet, bound, config, StreamletSelection.PROPERTY_NAMES);
    } catch (InvalidStreamletPlanException e) {
      throw new StreamletConfigurationException(e.getMessage(), e.action(), e);
    }
  }

  /** An environment with only the given sources (not this JVM's variables), as SpringApplication prepares it. */
  private static StandardEnvironment environment(PropertySource<?>... sources) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    for (PropertySource<?> source : sources) {
      environment.getPropertySources().addLast(source);
    }
    ConfigurationPropertySources.attach(environment);
    return environment;
  }

  /** Application properties of the streamlet's config parameters, as key-value pairs. */
  private static MapPropertySource properties(String... keysAndValues) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put(PREFIX + keysAndValues[i], keysAndValues[i + 1]);
    }
    return new MapPropertySource("application", values);
  }

  private static SystemEnvironmentPropertySource environmentVariables(String... namesAndValues) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, values);
  }

  private static StreamletContext contextOver(Config config) {
    return contextOver(REF, config);
  }

  /** A streamlet context over a config, reading the streamlet's part of it as a running streamlet does. */
  private static StreamletContext contextOver(String ref, Config config) {
    return new StreamletContext() {
      @Override
      public String streamletRef() {
        return ref;
      }

      @Override
      public Config streamletConfig() {
        String path = FlinkStreamletContext.configParametersPath(ref);
        return config.hasPath(path) ? config.getConfig(path) : ConfigFactory.empty();
      }
    };
  }
}
