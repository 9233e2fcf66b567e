package cloudflow.flink.spring.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

/** Tests for {@link EnvironmentConfigFactory}. */
class EnvironmentConfigFactoryTest {

  private final MockEnvironment environment = new MockEnvironment();

  @Test
  void turnsSpringPropertiesIntoConfigPaths() {
    environment.withProperty("doubler.factor", "3").withProperty("sensors.names", "a,b");

    Config config = EnvironmentConfigFactory.create(environment);

    assertThat(config.getInt("doubler.factor")).isEqualTo(3);
    assertThat(config.getString("sensors.names")).isEqualTo("a,b");
    assertThat(config.getConfig("doubler").root().keySet()).containsExactly("factor");
  }

  @Test
  void takesTheValueOfTheSourceWithHighestPrecedence() {
    environment.getPropertySources().addFirst(new MapPropertySource("high", Map.of("window.size", "10 s")));
    environment.getPropertySources().addLast(new MapPropertySource("low", Map.of("window.size", "1 min", "window.slide", "5 s")));

    Config config = EnvironmentConfigFactory.create(environment);

    assertThat(config.getString("window.size")).isEqualTo("10 s");
    assertThat(config.getString("window.slide")).isEqualTo("5 s");
  }

  @Test
  void resolvesPlaceholders() {
    environment.withProperty("service.host", "example.org").withProperty("service.url", "http://${service.host}:8080/api");

    Config config = EnvironmentConfigFactory.create(environment);

    assertThat(config.getString("service.url")).isEqualTo("http://example.org:8080/api");
  }

  @Test
  void keepsTheChildrenWhenANameIsAlsoAParent() {
    environment.withProperty("a", "1").withProperty("a.b", "2");

    Config config = EnvironmentConfigFactory.create(environment);

    assertThat(config.getValue("a").valueType()).isEqualTo(ConfigValueType.OBJECT);
    assertThat(config.getInt("a.b")).isEqualTo(2);
  }

  @Test
  void leavesOutPropertiesWhosePlaceholdersCannotBeResolved() {
    environment.withProperty("broken", "${no.such.property}").withProperty("fine", "yes");

    Config config = EnvironmentConfigFactory.create(environment);

    assertThat(config.hasPath("broken")).isFalse();
    assertThat(config.getString("fine")).isEqualTo("yes");
  }

  @Test
  void leavesOutNamesThatAreNotPaths() {
    environment.getPropertySources()
        .addFirst(new MapPropertySource("odd", Map.of(".leading", "x", "trailing.", "x", "double..dot", "x", "kept", "y")));

    Config config = EnvironmentConfigFactory.create(environment);

    assertThat(config.getString("kept")).isEqualTo("y");
    assertThat(config.hasPath("leading")).isFalse();
    assertThat(config.hasPath("trailing")).isFalse();
    assertThat(config.hasPath("double")).isFalse();
  }

  @Test
  void fallsBackToApplicationConfOnTheClasspath() {
    Config config = EnvironmentConfigFactory.create(environment);

    assertThat(config.getString("cloudflow-autoconfigure-test.from-application-conf")).isEqualTo("fallback value");
    assertThat(config.getInt("cloudflow-autoconfigure-test.nested.number")).isEqualTo(42);
  }

  @Test
  void letsSpringPropertiesWinOverApplicationConf() {
    environment
        .withProperty("cloudflow-autoconfigure-test.overridden-by-spring", "Spring value")
        .withProperty("cloudflow-autoconfigure-test.nested.extra", "added");

    Config config = EnvironmentConfigFactory.create(environment);

    assertThat(config.getString("cloudflow-autoconfigure-test.overridden-by-spring")).isEqualTo("Spring value");
    assertThat(config.getString("cloudflow-autoconfigure-test.from-application-conf")).isEqualTo("fallback value");
    assertThat(config.getInt("cloudflow-autoconfigure-test.nested.number")).isEqualTo(42);
    assertThat(config.getString("cloudflow-autoconfigure-test.nested.extra")).isEqualTo("added");
  }

  @Test
  void keepsSpringValuesThatLookLikeHoconAsPlainText() {
    environment
        .withProperty("hocon.object", "{ b = c }")
        .withProperty("hocon.list", "[1, 2]")
        .withProperty("quoted.key", "a \"quoted\" value");

    Config config = EnvironmentConfigFactory.create(environment);

    assertThat(config.getString("hocon.object")).isEqualTo("{ b = c }");
    assertThat(config.getString("hocon.list")).isEqualTo("[1, 2]");
    assertThat(config.getString("quoted.key")).isEqualTo("a \"quoted\" value");
  }
}
