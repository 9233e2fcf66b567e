package cloudflow.flink.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The jars a remote Flink cluster needs to run the application's streamlets: the application's own
 * classes and the libraries its jobs use, but not what every Flink cluster already has (Flink itself,
 * its logging) nor what only the Spring side uses (Spring, the web server, the embedded broker).
 *
 * <p>Flink's user-code class loader reads plain jars only, so an application launched from a Spring
 * Boot jar ({@code BOOT-INF/classes}, {@code BOOT-INF/lib/*.jar}) is unpacked into a temporary
 * directory first; an application run from a plain class path (an IDE, a test, Spring Boot's
 * extracted layout) ships its class path entries, with directories packed into jars.
 */
public final class JobJars {

  /**
   * Libraries that a Flink cluster provides or that jobs never need. Flink connectors and formats
   * are not part of a Flink distribution and are shipped.
   */
  static final Pattern NOT_SHIPPED = Pattern.compile(
      "(flink-(?!connector-kafka|avro|sql-avro)[^/]*"
          + "|spring-.*|tomcat-.*|jakarta\\..*|micrometer-.*|HdrHistogram.*|LatencyUtils.*|prometheus-metrics-.*"
          + "|logback-.*|log4j-.*|slf4j-.*|jul-to-slf4j.*"
          + "|kafka_2\\.13.*|kafka-(server|raft|storage|metadata|group-coordinator|transaction-coordinator|share-coordinator|coordinator-common|test-common|streams|tools).*"
          + "|scala-.*|zookeeper.*|jopt-simple.*|metrics-core.*|argparse4j.*"
          + "|junit-.*|opentest4j.*|apiguardian.*|assertj-.*|hamcrest.*|mockito-.*|byte-buddy.*|objenesis.*|jsonassert.*|xmlunit.*|awaitility.*)\\.jar");

  private JobJars() {}

  /** The jars to ship for the application whose classes include {@code applicationClass}. */
  public static List<String> of(Class<?> applicationClass) {
    Path location = codeSource(applicationClass);
    try {
      Path temp = Files.createTempDirectory("cloudflow-job-jars");
      temp.toFile().deleteOnExit();
      if (Files.isRegularFile(location) && isBootJar(location)) {
        return unpackBootJar(location, temp);
      }
      return fromClassPath(System.getProperty("java.class.path"), temp);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare the jars to ship to the Flink cluster", e);
    }
  }

  private static Path codeSource(Class<?> type) {
    String url = type.getProtectionDomain().getCodeSource().getLocation().toString();
    // Spring Boot's nested jar URLs look like jar:nested:/app.jar/!BOOT-INF/classes/!/
    int nested = url.indexOf("nested:");
    if (nested >= 0) {
      int end = url.indexOf("/!");
      return Path.of(url.substring(nested + "nested:".length(), end < 0 ? url.length() : end));
    }
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the classes of " + type.getName() + " at " + url, e);
    }
  }

  private static boolean isBootJar(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getEntry("BOOT-INF/classes/") != null || file.getEntry("BOOT-INF/lib/") != null;
    }
  }

  private static List<String> unpackBootJar(Path bootJar, Path temp) throws IOException {
    List<String> jars = new ArrayList<>();
    Path classes = temp.resolve("application-classes.jar");
    try (JarFile file = new JarFile(bootJar.toFile());
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(classes))) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (name.startsWith("BOOT-INF/classes/") && !entry.isDirectory()) {
          out.putNextEntry(new JarEntry(name.substring("BOOT-INF/classes/".length())));
          try (InputStream in = file.getInputStream(entry)) {
            in.transferTo(out);
          }
          out.closeEntry();
        } else if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
          String jarName = name.substring("BOOT-INF/lib/".length());
          if (!NOT_SHIPPED.matcher(jarName).matches()) {
            Path target = temp.resolve(jarName);
            try (InputStream in = file.getInputStream(entry)) {
              Files.copy(in, target);
            }
            jars.add(target.toString());
          }
        }
      }
    }
    jars.add(0, classes.toString());
    return jars;
  }

  /**
   * The jars of a class path, with directories packed into jars and the jars a jar's manifest
   * {@code Class-Path} names followed (Spring Boot's extracted layout: a thin jar next to {@code lib/}).
   */
  static List<String> fromClassPath(String classPath, Path temp) throws IOException {
    Set<Path> entries = new LinkedHashSet<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        addWithManifestClassPath(Path.of(entry).toAbsolutePath().normalize(), entries);
      }
    }
    List<String> jars = new ArrayList<>();
    int directories = 0;
    for (Path path : entries) {
      if (Files.isDirectory(path)) {
        Path jar = temp.resolve("classes-" + directories++ + ".jar");
        packDirectory(path, jar);
        jars.add(jar.toString());
      } else if (Files.isRegularFile(path) && !NOT_SHIPPED.matcher(path.getFileName().toString()).matches()) {
        jars.add(path.toString());
      }
    }
    return jars;
  }

  private static void addWithManifestClassPath(Path entry, Set<Path> entries) throws IOException {
    if (!entries.add(entry) || !Files.isRegularFile(entry) || !entry.toString().endsWith(".jar")) {
      return;
    }
    Manifest manifest;
    try (JarFile jar = new JarFile(entry.toFile())) {
      manifest = jar.getManifest();
    }
    String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
    if (classPath == null) {
      return;
    }
    // entries are URLs relative to the jar's directory
    for (String relative : classPath.trim().split("\\s+")) {
      if (!relative.isEmpty()) {
        addWithManifestClassPath(Path.of(entry.getParent().toUri().resolve(relative)).normalize(), entries);
      }
    }
  }

  private static void packDirectory(Path directory, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> paths = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(directory.relativize(path).toString().replace(File.separatorChar, '/')));
        Files.copy(path, out);
        out.closeEntry();
      }
    }
  }
}
