package cloudflow.flink.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jars a remote Flink cluster needs to run the application's streamlets: the application's own
 * classes and the libraries its jobs use beyond what the cluster's class path has.
 *
 * <p>The rule: a library is shipped unless the cluster has it or only the Spring side uses it. A
 * Flink cluster has Flink (every {@code flink-*} module but the connectors and formats, which are not
 * in a Flink distribution) and what {@code flink-dist} bundles for Flink's runtime (its NOTICE: Kryo,
 * the RocksDB JNI, Javassist, Objenesis, Apache Commons, SnakeYAML Engine, the async profiler, JSR 305,
 * Flink's shaded libraries), and logs through its own logging backend. The Spring side is Spring, the
 * starter's Spring glue,
 * Tomcat, Micrometer, Jackson 3 and SnakeYAML. Kafka's compression libraries (lz4, snappy, zstd) are
 * shipped although {@code flink-dist} has older lz4 and snappy versions: the job loads its own first.
 *
 * <p>Flink's user-code class loader reads plain jars only, so from a Spring Boot jar
 * ({@code BOOT-INF/classes}, {@code BOOT-INF/lib/*.jar}) the libraries and a jar of the classes are
 * written to a cache directory, content-addressed (each file's name carries the checksum of its
 * content), so a restart writes nothing new; files of earlier versions found there are deleted. An
 * application run from a plain class path (an IDE, a test, Spring Boot's extracted layout) ships its
 * class path entries as they are, with directories packed into jars in the cache.
 */
public final class JobJars {

  /** Where the jars are cached unless configured: {@code cloudflow-flink-job-jars} in the temporary directory. */
  public static final String DEFAULT_CACHE_DIRECTORY_NAME = "cloudflow-flink-job-jars";

  private static final Logger log = LoggerFactory.getLogger(JobJars.class);

  /** Flink and what {@code flink-dist} bundles for it: a Flink cluster has these on its class path. */
  static final Pattern IN_FLINK_CLUSTER = Pattern.compile(
      "(flink-(?!connector-kafka|avro|sql-avro|protobuf|json|csv)[^/]*"
          + "|frocksdbjni-.*|kryo-.*|minlog-.*|reflectasm-.*|objenesis-.*|javassist-.*|chill-java-.*"
          + "|commons-(lang3|text|math3|collections|io|cli|compress)-.*|snakeyaml-engine-.*|async-profiler-.*|jsr305-.*"
          + "|logback-.*|log4j-.*|slf4j-.*|jul-to-slf4j.*)\\.jar");

  /** What only the Spring side of the application uses (and test libraries, should they be packaged). */
  static final Pattern SPRING_SIDE = Pattern.compile(
      "(spring-.*|cloudflow-flink-autoconfigure-.*|cloudflow-flink-spring-boot-.*|tomcat-.*|jakarta\\..*|micrometer-.*|HdrHistogram.*|LatencyUtils.*|prometheus-metrics-.*"
          + "|jackson-(core|databind)-3\\..*|snakeyaml-(?!engine)[0-9].*|jspecify-.*"
          + "|kafka_2\\.13.*|kafka-(server|raft|storage|metadata|group-coordinator|transaction-coordinator|share-coordinator|coordinator-common|test-common|streams|tools).*"
          + "|scala-.*|zookeeper.*|jopt-simple.*|metrics-core.*|argparse4j.*"
          + "|junit-.*|opentest4j.*|apiguardian.*|assertj-.*|hamcrest.*|mockito-.*|byte-buddy.*|jsonassert.*|xmlunit.*|awaitility.*)\\.jar");

  private JobJars() {}

  /** Whether a library (by its file name) is shipped to the cluster. */
  static boolean shipped(String jarName) {
    return !IN_FLINK_CLUSTER.matcher(jarName).matches() && !SPRING_SIDE.matcher(jarName).matches();
  }

  /** The jars to ship for the application whose classes include {@code applicationClass}, cached in the default directory. */
  public static List<String> of(Class<?> applicationClass) {
    return of(applicationClass, null);
  }

  /**
   * The jars to ship for the application whose classes include {@code applicationClass}.
   *
   * @param cacheDirectory where the jars taken out of a Spring Boot jar are kept across restarts;
   *     null for {@value #DEFAULT_CACHE_DIRECTORY_NAME} in {@code java.io.tmpdir}
   */
  public static List<String> of(Class<?> applicationClass, Path cacheDirectory) {
    Path location = codeSource(applicationClass);
    Path cache = cacheDirectory != null ? cacheDirectory
        : Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_CACHE_DIRECTORY_NAME);
    try {
      if (Files.isRegularFile(location) && isBootJar(location)) {
        // a directory per application jar name, so that what is stale is what an earlier build of it left
        return fromBootJar(location, Files.createDirectories(cache.resolve(stripJar(location.getFileName().toString()))));
      }
      // a directory per class path, so that what is stale is what an earlier build of the same class path left
      String classPath = System.getProperty("java.class.path");
      String key = HexFormat.of().formatHex(sha256().digest(classPath.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
      return fromClassPath(classPath, Files.createDirectories(cache.resolve("class-path-" + key)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare the jars to ship to the Flink cluster in " + cache
          + " (set cloudflow.cluster.jar-cache to a writable directory)", e);
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

  /**
   * The Boot jar's libraries that are shipped and a jar of its classes, in {@code cache}: each named
   * for its content (the zip's CRC-32 and size of a library, a SHA-256 over the classes' names and
   * checksums), written only when absent. Every other file in {@code cache} is deleted.
   */
  static List<String> fromBootJar(Path bootJar, Path cache) throws IOException {
    List<String> jars = new ArrayList<>();
    Set<Path> current = new HashSet<>();
    int written = 0;
    long bytes = 0;
    try (JarFile file = new JarFile(bootJar.toFile())) {
      List<JarEntry> classes = new ArrayList<>();
      MessageDigest classesDigest = sha256();
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (name.startsWith("BOOT-INF/classes/") && !entry.isDirectory()) {
          classes.add(entry);
          classesDigest.update((name + ":" + entry.getCrc() + ":" + entry.getSize() + "\n").getBytes(StandardCharsets.UTF_8));
        } else if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
          String jarName = name.substring("BOOT-INF/lib/".length());
          if (shipped(jarName)) {
            Path target = cache.resolve(stripJar(jarName) + "-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize() + ".jar");
            if (!Files.isRegularFile(target) || Files.size(target) != entry.getSize()) {
              try (InputStream in = file.getInputStream(entry)) {
                writeAtomically(target, out -> in.transferTo(out));
              }
              written++;
            }
            bytes += entry.getSize();
            current.add(target);
            jars.add(target.toString());
          }
        }
      }
      Path classesJar = cache.resolve("application-classes-"
          + HexFormat.of().formatHex(classesDigest.digest()).substring(0, 16) + ".jar");
      if (!Files.isRegularFile(classesJar)) {
        writeAtomically(classesJar, out -> {
          try (JarOutputStream jar = new JarOutputStream(out)) {
            for (JarEntry entry : classes) {
              JarEntry copy = new JarEntry(entry.getName().substring("BOOT-INF/classes/".length()));
              copy.setTime(entry.getTime());
              jar.putNextEntry(copy);
              try (InputStream in = file.getInputStream(entry)) {
                in.transferTo(jar);
              }
              jar.closeEntry();
            }
          }
        });
        written++;
      }
      current.add(classesJar);
      jars.add(0, classesJar.toString());
    }
    int deleted = deleteAllBut(cache, current);
    log.info("Job jars for the Flink cluster: {} jars ({} MB) in {}, {} written now, {} stale deleted",
        jars.size(), bytes / (1024 * 1024), cache, written, deleted);
    return jars;
  }

  /**
   * The jars of a class path, with directories packed into jars (in {@code cache}, named for their
   * content) and the jars a jar's manifest {@code Class-Path} names followed (Spring Boot's extracted
   * layout: a thin jar next to {@code lib/}).
   */
  static List<String> fromClassPath(String classPath, Path cache) throws IOException {
    Set<Path> entries = new LinkedHashSet<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        addWithManifestClassPath(Path.of(entry).toAbsolutePath().normalize(), entries);
      }
    }
    List<String> jars = new ArrayList<>();
    Set<Path> packed = new HashSet<>();
    for (Path path : entries) {
      if (Files.isDirectory(path)) {
        Path jar = packDirectory(path, cache);
        packed.add(jar);
        jars.add(jar.toString());
      } else if (Files.isRegularFile(path) && shipped(path.getFileName().toString())) {
        jars.add(path.toString());
      }
    }
    deleteAllBut(cache, packed);
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

  /** Packs a directory into a jar in {@code cache} named for the SHA-256 of its files' names and contents. */
  private static Path packDirectory(Path directory, Path cache) throws IOException {
    List<Path> files;
    try (Stream<Path> paths = Files.walk(directory)) {
      files = paths.filter(Files::isRegularFile).sorted().toList();
    }
    MessageDigest digest = sha256();
    for (Path path : files) {
      digest.update(relativeName(directory, path).getBytes(StandardCharsets.UTF_8));
      try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }
    Path jar = cache.resolve("classes-" + HexFormat.of().formatHex(digest.digest()).substring(0, 16) + ".jar");
    if (!Files.isRegularFile(jar)) {
      writeAtomically(jar, out -> {
        try (JarOutputStream target = new JarOutputStream(out)) {
          for (Path path : files) {
            target.putNextEntry(new JarEntry(relativeName(directory, path)));
            Files.copy(path, target);
            target.closeEntry();
          }
        }
      });
    }
    return jar;
  }

  private static String relativeName(Path directory, Path file) {
    return directory.relativize(file).toString().replace(File.separatorChar, '/');
  }

  private interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes to a temporary file next to {@code target}, then renames it: a reader never sees half a jar. */
  private static void writeAtomically(Path target, Writer writer) throws IOException {
    Path temporary = Files.createTempFile(target.getParent(), ".writing-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temporary)) {
        writer.writeTo(out);
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      } catch (FileAlreadyExistsException e) {
        // another process of the same application wrote the same content first
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Deletes the regular files in {@code directory} other than {@code keep}, except files another
   * process may still be writing (an hour old at most); returns how many.
   */
  private static int deleteAllBut(Path directory, Set<Path> keep) throws IOException {
    int deleted = 0;
    long writingSince = System.currentTimeMillis() - java.util.concurrent.TimeUnit.HOURS.toMillis(1);
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        boolean writing = file.getFileName().toString().startsWith(".writing-")
            && Files.getLastModifiedTime(file).toMillis() > writingSince;
        if (Files.isRegularFile(file) && !keep.contains(file) && !writing) {
          try {
            Files.deleteIfExists(file);
            deleted++;
          } catch (IOException e) {
            log.debug("Cannot delete stale job jar {}: {}", file, e.toString());
          }
        }
      }
    }
    return deleted;
  }

  private static String stripJar(String name) {
    return name.endsWith(".jar") ? name.substring(0, name.length() - ".jar".length()) : name;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JVM has no SHA-256", e);
    }
  }
}
