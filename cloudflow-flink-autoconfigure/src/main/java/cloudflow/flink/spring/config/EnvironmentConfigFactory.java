package cloudflow.flink.spring.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Builds a Typesafe {@link Config} from a Spring {@link ConfigurableEnvironment}, so that everything
 * set in application.yml, environment variables or on the command line reaches
 * {@code context.config()}, with {@code application.conf} (and {@code reference.conf}) from the
 * classpath as fallback.
 *
 * <p>Each property name is split on '.' into a path; the value is the one Spring resolves (highest
 * precedence, placeholders resolved). A name that is both a value and a parent of other names, for
 * example {@code a=1} and {@code a.b=2}, cannot be a HOCON path: the value is dropped and the
 * children kept, with a debug log line.
 */
public final class EnvironmentConfigFactory {

  private static final Logger log = LoggerFactory.getLogger(EnvironmentConfigFactory.class);

  private EnvironmentConfigFactory() {}

  /** The configuration seen by streamlets. */
  public static Config create(ConfigurableEnvironment environment) {
    TreeMap<String, String> values = new TreeMap<>();
    for (String name : propertyNames(environment)) {
      try {
        String value = environment.getProperty(name);
        if (value != null) {
          values.put(name, value);
        }
      } catch (RuntimeException e) {
        log.debug("Property '{}' left out of the streamlet config: {}", name, e.getMessage());
      }
    }
    Config fromSpring = ConfigFactory.empty();
    Map<String, Object> paths = new HashMap<>();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String name = entry.getKey();
      String child = values.ceilingKey(name + ".");
      if (child != null && child.startsWith(name + ".")) {
        log.debug("Property '{}' is also a parent of '{}'; its value is left out of the streamlet config", name, child);
        continue;
      }
      paths.put(ConfigUtil.joinPath(Arrays.asList(name.split("\\.", -1))), entry.getValue());
    }
    try {
      fromSpring = ConfigFactory.parseMap(paths, "Spring Environment");
    } catch (RuntimeException e) {
      log.warn("Could not turn all Spring properties into the streamlet config: {}", e.getMessage());
    }
    return fromSpring.withFallback(ConfigFactory.load()).resolve();
  }

  private static TreeSet<String> propertyNames(ConfigurableEnvironment environment) {
    TreeSet<String> names = new TreeSet<>();
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          if (!name.isEmpty() && !name.startsWith(".") && !name.endsWith(".") && !name.contains("..")) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }
}
