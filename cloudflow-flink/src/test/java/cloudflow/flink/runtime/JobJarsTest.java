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

    assertThat(jars).containsExactly(
        thin.toString(),
        lib.resolve("avro-1.12.1.jar").toString(),
        lib.resolve("flink-connector-kafka-5.0.0-2.2.jar").toString(),
        root.resolve("out/classes-0.jar").toString());
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
