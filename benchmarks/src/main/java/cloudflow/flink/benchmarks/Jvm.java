package cloudflow.flink.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/** How to start another JVM like this one: java executable, class path, Flink's --add-opens flags. */
final class Jvm {

  private static final Properties BUILD = load();

  private Jvm() {}

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * This JVM's class path: with {@code java -jar benchmarks.jar} that is the jar, whose manifest
   * lists {@code lib/*}; under Maven Surefire it is the test class path.
   */
  static String classpath() {
    String classpath = System.getProperty("benchmarks.classpath", System.getProperty("java.class.path"));
    // absolute, so that processes started in other directories (the broker) find it too
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** The {@code --add-opens} flags Flink needs on Java 17, from the parent pom's {@code flink.add-opens}. */
  static List<String> addOpens() {
    String flags = BUILD.getProperty("flink.add-opens", "");
    if (flags.isBlank() || flags.contains("${")) {
      throw new IllegalStateException("benchmarks.properties has no flink.add-opens: build the module with Maven");
    }
    return Arrays.stream(flags.trim().split("\\s+")).toList();
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = Jvm.class.getResourceAsStream("/benchmarks.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
