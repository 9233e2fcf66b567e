package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobJarsTest {

  @TempDir Path root;

  @Test
  void shipsTheLibrariesAThinJarsManifestNamesButNotWhatFlinkOrSpringBring() throws IOException {
    // Spring Boot's extracted layout: app.jar with Class-Path: lib/...
    Path app = root.resolve("app");
    Path lib = Files.createDirectories(app.resolve("lib"));
    for (String name : List.of("avro-1.12.1.jar", "flink-connector-kafka-5.0.0-2.2.jar", "flink-runtime-2.2.0.jar",
        "spring-core-7.0.0.jar")) {
      jar(lib.resolve(name), null);
    }
    Path thin = jar(app.resolve("app.jar"),
        "lib/avro-1.12.1.jar lib/flink-connector-kafka-5.0.0-2.2.jar lib/flink-runtime-2.2.0.jar lib/spring-core-7.0.0.jar");
    Path classes = Files.createDirectories(root.resolve("classes/sensors"));
    Files.writeString(classes.resolve("Streamlet.class"), "not really a class");

    List<String> jars = JobJars.fromClassPath(
        thin + File.pathSeparator + root.resolve("classes"), Files.createDirectories(root.resolve("out")));

    assertThat(jars).hasSize(4).startsWith(
        thin.toString(),
        lib.resolve("avro-1.12.1.jar").toString(),
        lib.resolve("flink-connector-kafka-5.0.0-2.2.jar").toString());
    assertThat(Path.of(jars.get(3))).hasParent(root.resolve("out")).isRegularFile();
    // the same classes pack into the same (content-named) jar, which is not written again
    assertThat(JobJars.fromClassPath(thin + File.pathSeparator + root.resolve("classes"), root.resolve("out"))).isEqualTo(jars);
  }

  @Test
  void shipsWhatTheClusterLacksAndLeavesOutFlinkFlinkDistsLibrariesAndTheSpringSide() {
    assertThat(List.of("cloudflow-flink-0.1.0.jar", "flink-connector-kafka-5.0.0-2.2.jar", "flink-avro-2.2.0.jar",
        "kafka-clients-4.1.2.jar", "avro-1.12.1.jar", "jackson-databind-2.21.4.jar", "lz4-java-1.10.1.jar",
        "zstd-jni-1.5.6-10.jar", "protobuf-java-4.32.1.jar", "config-1.4.3.jar"))
        .allMatch(JobJars::shipped);
    assertThat(List.of("flink-runtime-2.2.0.jar", "flink-shaded-netty-4.1.100.Final-20.0.jar", "frocksdbjni-8.10.0-ververica-1.0.jar",
        "kryo-5.6.2.jar", "javassist-3.24.0-GA.jar", "commons-math3-3.6.1.jar", "snakeyaml-engine-2.6.jar",
        "spring-core-7.0.8.jar", "cloudflow-flink-autoconfigure-0.1.0.jar", "jackson-databind-3.1.4.jar", "jackson-core-3.1.4.jar", "snakeyaml-2.5.jar",
        "tomcat-embed-core-11.0.22.jar", "micrometer-core-1.16.6.jar", "logback-classic-1.5.34.jar"))
        .noneMatch(JobJars::shipped);
  }

  @Test
  void cachesABootJarsLibrariesByContentAndDeletesWhatAnEarlierBuildLeft() throws IOException {
    Path cache = Files.createDirectories(root.resolve("cache"));
    Path stale = Files.writeString(cache.resolve("avro-1.11.0-0-1.jar"), "an earlier build's library");
    Path bootJar = bootJar(root.resolve("app.jar"), "one");

    List<String> first = JobJars.fromBootJar(bootJar, cache);
    assertThat(first).hasSize(2);
    assertThat(Path.of(first.get(0)).getFileName().toString()).startsWith("application-classes-");
    assertThat(Path.of(first.get(1)).getFileName().toString()).startsWith("avro-1.12.1-");
    assertThat(stale).doesNotExist();
    try (var files = Files.list(cache)) {
      assertThat(files).hasSize(2);
    }
    var written = Files.getLastModifiedTime(Path.of(first.get(1)));

    // a restart of the same build: the same files, none written again
    assertThat(JobJars.fromBootJar(bootJar, cache)).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(Path.of(first.get(1)))).isEqualTo(written);

    // a new build with other classes: a new classes jar, the old one deleted
    List<String> rebuilt = JobJars.fromBootJar(bootJar(root.resolve("app.jar"), "two"), cache);
    assertThat(rebuilt.get(0)).isNotEqualTo(first.get(0));
    assertThat(rebuilt.get(1)).isEqualTo(first.get(1));
    assertThat(Path.of(first.get(0))).doesNotExist();
  }

  /** A Spring Boot jar with one class (whose content is {@code classContent}) and avro and spring-core in BOOT-INF/lib. */
  private Path bootJar(Path path, String classContent) throws IOException {
    // written once: the same library in every build
    Path avro = Files.exists(root.resolve("avro-1.12.1.jar")) ? root.resolve("avro-1.12.1.jar") : jar(root.resolve("avro-1.12.1.jar"), null);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(path))) {
      out.putNextEntry(new JarEntry("BOOT-INF/classes/sensors/Streamlet.class"));
      out.write(classContent.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
      for (String name : List.of("avro-1.12.1.jar", "spring-core-7.0.8.jar")) {
        out.putNextEntry(new JarEntry("BOOT-INF/lib/" + name));
        out.write(Files.readAllBytes(avro));
        out.closeEntry();
      }
    }
    return path;
  }

  private static Path jar(Path path, String classPath) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(path), manifest)) {
      out.putNextEntry(new JarEntry("marker.txt"));
      out.closeEntry();
    }
    return path;
  }
}
