package sensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The production jar holds what the application needs at run time and nothing for tests: no test
 * framework, no Kafka broker (the embedded broker's {@code spring-kafka-test} is an optional
 * dependency, which the repackaged jar leaves out), no second RocksDB. The {@code -dev} jar next to
 * it is the same application with the embedded broker, for running on a laptop. Both start through
 * the streamlet launcher that the plugin's layout writes into them.
 *
 * <p>A test dependency reached by a second, non-optional path stops being optional and lands in the
 * production jar unnoticed; this test is what notices.
 */
class ProductionJarContentsIT {

  /** Test frameworks and their helpers, the Kafka broker and what only it needs, Kafka Streams and its RocksDB. */
  private static final Pattern NOT_FOR_PRODUCTION = Pattern.compile(
      "(junit-.*|opentest4j-.*|apiguardian-.*|assertj-.*|hamcrest-.*|mockito-.*|awaitility-.*|jsonassert-.*"
          + "|spring-test-.*|spring-boot-test-.*|spring-kafka-test-.*|.*-test\\.jar|.*-test-utils-.*|.*-test-common-.*"
          + "|kafka_2\\.13-.*|kafka-server-.*|kafka-raft-.*|kafka-storage-.*|kafka-metadata-.*|kafka-.*-coordinator-.*"
          + "|kafka-streams-.*|kafka-tools-.*|scala-.*|rocksdbjni-.*)");

  private final Path appJar = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));

  @Test
  void productionJarHasNoTestFrameworkAndNoKafkaBroker() throws IOException {
    List<String> libraries = libraries(appJar);

    // what a streamlet needs at run time is there, so an empty or wrongly read listing cannot pass
    assertThat(libraries).as("libraries of %s", appJar)
        .anyMatch(name -> name.startsWith("kafka-clients-"))
        .anyMatch(name -> name.startsWith("flink-connector-kafka-"))
        .anyMatch(name -> name.startsWith("cloudflow-flink-autoconfigure-"));
    assertThat(libraries).as("libraries of the production jar %s that are for tests or a Kafka broker", appJar)
        .filteredOn(name -> NOT_FOR_PRODUCTION.matcher(name).matches())
        .isEmpty();
  }

  @Test
  void devJarAddsTheEmbeddedBrokerToTheProductionLibraries() throws IOException {
    Path devJar = appJar.resolveSibling(appJar.getFileName().toString().replaceFirst("\\.jar$", "-dev.jar"));
    List<String> production = libraries(appJar);
    List<String> dev = libraries(devJar);

    assertThat(dev).as("libraries of %s", devJar)
        .containsAll(production)
        .anyMatch(name -> name.startsWith("spring-kafka-test-"))
        .anyMatch(name -> name.startsWith("kafka_2.13-"))
        // what the embedded broker never loads stays out of the dev jar too
        .noneMatch(name -> name.startsWith("junit-") || name.startsWith("kafka-streams-")
            || name.startsWith("rocksdbjni-") || name.startsWith("spring-test-"));
  }

  @Test
  void productionJarStartsThroughTheStreamletLauncher() throws IOException {
    try (JarFile jar = new JarFile(appJar.toFile())) {
      // the launcher whose class loader finds classes through a package index, written in by the plugin's layout
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("cloudflow.flink.boot.loader.StreamletJarLauncher");
      assertThat(jar.getEntry("cloudflow/flink/boot/loader/StreamletJarLauncher.class")).isNotNull();
      assertThat(jar.getEntry("cloudflow/flink/boot/loader/PackageIndexedClassLoader.class")).isNotNull();
      assertThat(jar.getManifest().getMainAttributes().getValue("Start-Class"))
          .isEqualTo(SensorPipelineApplication.class.getName());
    }
  }

  /** The file names of the jars in {@code BOOT-INF/lib} of a Spring Boot jar. */
  private static List<String> libraries(Path jar) throws IOException {
    assertThat(jar).as("repackaged jar (run mvn package first)").isRegularFile();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return Collections.list(zip.entries()).stream()
          .map(entry -> entry.getName())
          .filter(name -> name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar"))
          .map(name -> name.substring("BOOT-INF/lib/".length()))
          .sorted()
          .toList();
    }
  }
}
