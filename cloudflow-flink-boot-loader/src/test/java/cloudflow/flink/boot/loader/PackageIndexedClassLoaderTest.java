package cloudflow.flink.boot.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.loader.launch.Archive;
import org.springframework.boot.loader.launch.LaunchedClassLoader;
import org.springframework.boot.loader.net.protocol.Handlers;

/**
 * {@link PackageIndexedClassLoader} against Spring Boot's own {@link LaunchedClassLoader} on a real
 * executable jar: the application's classes and two nested jars that both have a class {@code p.A}
 * and a service file (class path order decides), one of them multi-release.
 */
class PackageIndexedClassLoaderTest {

  @TempDir
  static Path directory;

  private static URL[] classPath;

  @BeforeAll
  static void buildTheApplicationJar() throws Exception {
    Handlers.register();
    Path lib1 = jar("lib1", true, Map.of(
        "p/A.java", "package p; public class A { public static String where() { return \"lib1\"; } }",
        "p/OnlyInLib1.java", "package p; public class OnlyInLib1 {}",
        "META-INF/services/p.Service", "from lib1"),
        Map.of("p/A.java", "package p; public class A { public static String where() { return \"lib1 for Java 9+\"; } }"));
    Path lib2 = jar("lib2", false, Map.of(
        "p/A.java", "package p; public class A { public static String where() { return \"lib2\"; } }",
        "q/B.java", "package q; public class B { public static String where() { return \"lib2\"; } }",
        "q/data.txt", "data",
        "META-INF/services/p.Service", "from lib2"),
        Map.of());
    Path classes = compile("app", Map.of(
        "r/C.java", "package r; public class C { public static String where() { return \"app\"; } }",
        "application.yml", "app: true"), 8);
    Path app = directory.resolve("app.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(app), manifest(false))) {
      addTree(out, classes, "BOOT-INF/classes/");
      stored(out, "BOOT-INF/lib/lib1.jar", Files.readAllBytes(lib1));
      stored(out, "BOOT-INF/lib/lib2.jar", Files.readAllBytes(lib2));
    }
    // the class path exactly as Spring Boot's JarLauncher builds it
    Archive archive = Archive.create(app.toFile());
    classPath = archive.getClassPathUrls(
        entry -> entry.isDirectory() ? entry.name().equals("BOOT-INF/classes/") : entry.name().startsWith("BOOT-INF/lib/"),
        entry -> entry.name().startsWith("BOOT-INF/")).toArray(new URL[0]);
    assertThat(classPath).hasSize(3);
  }

  @ParameterizedTest
  @EnumSource(Construction.class)
  void findsEveryClassWhereSpringBootsLoaderFindsItThroughItsIndex(Construction construction) throws Exception {
    try (PackageIndexedClassLoader indexed = construction.create(classPath, parent());
        LaunchedClassLoader standard = new LaunchedClassLoader(false, null, classPath, parent())) {
      assertThat(indexed.isIndexed()).isTrue();
      for (String name : List.of("p.A", "q.B", "r.C")) {
        assertThat(where(indexed, name)).as(name).isEqualTo(where(standard, name));
        assertThat(indexed.loadClass(name).getProtectionDomain().getCodeSource().getLocation())
            .isEqualTo(standard.loadClass(name).getProtectionDomain().getCodeSource().getLocation());
      }
      // the first jar on the class path wins, its Java 9+ version on this JVM
      assertThat(where(indexed, "p.A")).isEqualTo("lib1 for Java 9+");
      assertThat(where(indexed, "q.B")).isEqualTo("lib2");
      assertThat(indexed.loadClass("p.OnlyInLib1").getPackage().getName()).isEqualTo("p");
    }
  }

  @ParameterizedTest
  @EnumSource(Construction.class)
  void refusesWhatIsNotThereAndFindsResourcesWhereSpringBootsLoaderFindsThem(Construction construction) throws Exception {
    try (PackageIndexedClassLoader indexed = construction.create(classPath, parent());
        LaunchedClassLoader standard = new LaunchedClassLoader(false, null, classPath, parent())) {
      assertThatThrownBy(() -> indexed.loadClass("p.Missing")).isInstanceOf(ClassNotFoundException.class);
      assertThatThrownBy(() -> indexed.loadClass("nowhere.Missing")).isInstanceOf(ClassNotFoundException.class);
      for (String name : List.of("p/A.class", "p/OnlyInLib1.class", "q/B.class", "r/C.class", "q/data.txt",
          "META-INF/versions/9/p/A.class")) {
        assertThat(indexed.getResource(name)).as(name).isNotNull().isEqualTo(standard.getResource(name));
        try (var in = indexed.getResource(name).openStream(); var expected = standard.getResource(name).openStream()) {
          assertThat(in.readAllBytes()).as(name).isEqualTo(expected.readAllBytes());
        }
      }
      assertThat(indexed.getResource("p/A.class").toString()).contains("lib1.jar");
      for (String name : List.of("p/Missing.class", "nowhere/Missing.class", "q/missing.txt")) {
        assertThat(indexed.getResource(name)).as(name).isNull();
        assertThat(standard.getResource(name)).as(name).isNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Construction.class)
  void findsEveryResourceAndEveryCopyOfItWhereSpringBootsLoaderFindsThem(Construction construction) throws Exception {
    try (PackageIndexedClassLoader indexed = construction.create(classPath, parent());
        LaunchedClassLoader standard = new LaunchedClassLoader(false, null, classPath, parent())) {
      for (String name : List.of("META-INF/services/p.Service", "application.yml", "q/data.txt", "p/A.class",
          "META-INF/MANIFEST.MF", "q/missing.txt", "nowhere/missing.txt", "q/", "p", "q/./data.txt", "q//data.txt")) {
        assertThat(Collections.list(indexed.getResources(name))).as(name)
            .isEqualTo(Collections.list(standard.getResources(name)));
        assertThat(indexed.getResource(name)).as(name).isEqualTo(standard.getResource(name));
      }
      // both copies of the service file, in class path order, each with its own content
      List<URL> services = Collections.list(indexed.getResources("META-INF/services/p.Service"));
      assertThat(services).hasSize(2);
      try (var first = services.get(0).openStream(); var second = services.get(1).openStream()) {
        assertThat(new String(first.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from lib1");
        assertThat(new String(second.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from lib2");
      }
      assertThat(Collections.list(indexed.getResources("META-INF/MANIFEST.MF"))).hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void asksItsParentOnlyForWhatTheParentCanHave() throws Exception {
    List<String> asked = Collections.synchronizedList(new ArrayList<>());
    ClassLoader recordingParent = new ClassLoader("recording", parent()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        asked.add(name);
        return super.loadClass(name, resolve);
      }

      @Override
      public URL getResource(String name) {
        asked.add(name);
        return super.getResource(name);
      }
    };
    // as if the parent's jar had directory q: it is asked for q's names, and not for p's
    Set<String> parentDirectories = new HashSet<>(StreamletJarLauncher.bootLayerPackageDirectories());
    parentDirectories.add("q");
    try (PackageIndexedClassLoader indexed = PackageIndexedClassLoader.create(null, classPath, recordingParent, parentDirectories)) {
      assertThat(where(indexed, "p.A")).isEqualTo("lib1 for Java 9+");
      assertThat(where(indexed, "q.B")).isEqualTo("lib2");
      assertThat(indexed.loadClass("java.util.zip.CRC32")).isSameAs(CRC32.class);
      assertThat(indexed.getResource("p/A.class")).isNotNull();
      assertThat(indexed.getResource("q/data.txt")).isNotNull();
      assertThat(indexed.getResource("META-INF/services/p.Service")).isNotNull();
      assertThatThrownBy(() -> indexed.loadClass("p.Missing")).isInstanceOf(ClassNotFoundException.class);
      assertThat(asked).doesNotContain("p.A", "p/A.class", "p.Missing")
          .contains("q.B", "q/data.txt", "java.util.zip.CRC32", "META-INF/services/p.Service");
    }
    // the parent's directories not known: it is asked for everything
    asked.clear();
    try (PackageIndexedClassLoader indexed = PackageIndexedClassLoader.create(null, classPath, recordingParent, null)) {
      assertThat(where(indexed, "p.A")).isEqualTo("lib1 for Java 9+");
      assertThat(asked).contains("p.A");
    }
  }

  @Test
  void knowsWhatTheLaunchersClassLoaderHasOnlyWhenTheClassPathIsTheOneJar() {
    Properties system = new Properties();
    system.setProperty("java.class.path", directory.resolve("app.jar").toString());
    Set<String> directories = StreamletJarLauncher.parentDirectories(system);
    // the JDK's packages and the jar's own directories outside BOOT-INF (here only its manifest's)
    assertThat(directories).contains("java/lang", "javax/lang/model", "META-INF").doesNotContain("p", "q", "r", "BOOT-INF/lib");

    for (String[] asksForEverything : List.of(
        new String[] {"java.class.path", directory.resolve("app.jar") + java.io.File.pathSeparator + "agent.jar"},
        new String[] {"java.class.path", directory.resolve("missing.jar").toString()},
        new String[] {"jdk.boot.class.path.append", "extra.jar"},
        new String[] {"java.system.class.loader", "custom.Loader"},
        new String[] {StreamletJarLauncher.PARENT_GATE_PROPERTY, "false"})) {
      Properties changed = new Properties();
      changed.putAll(system);
      changed.setProperty(asksForEverything[0], asksForEverything[1]);
      assertThat(StreamletJarLauncher.parentDirectories(changed)).as(String.join("=", asksForEverything)).isNull();
    }
    // surefire's own class path has many entries
    assertThat(StreamletJarLauncher.parentDirectories()).isNull();
  }

  @Test
  void namesTheDirectoryEachEntryIsIn() {
    assertThat(PackageIndexedClassLoader.directoryOf("org/apache/flink/runtime/A.class")).isEqualTo("org/apache/flink/runtime");
    assertThat(PackageIndexedClassLoader.directoryOf("META-INF/versions/11/p/A.class")).isEqualTo("p");
    assertThat(PackageIndexedClassLoader.directoryOf("Top.class")).isEmpty();
    assertThat(PackageIndexedClassLoader.directoryOf("p/data.txt")).isEqualTo("p");
    assertThat(PackageIndexedClassLoader.directoryOf("META-INF/services/p.Service")).isEqualTo("META-INF/services");
    assertThat(PackageIndexedClassLoader.directoryOf("module-info.class")).isNull();
    assertThat(PackageIndexedClassLoader.directoryOf("META-INF/versions/9/module-info.class")).isNull();
    assertThat(PackageIndexedClassLoader.directoryOf("p/")).isEmpty();
    assertThat(PackageIndexedClassLoader.directoryOf("org/apache/")).isEqualTo("org");
    assertThat(PackageIndexedClassLoader.directoryOf("META-INF/versions/9/p/")).isEmpty();
  }

  private static ClassLoader parent() {
    return ClassLoader.getPlatformClassLoader();
  }

  /** The two ways the launcher makes the loader: asking the parent for everything, or through its gate. */
  enum Construction {
    PARENT_ASKED_FOR_EVERYTHING {
      @Override
      PackageIndexedClassLoader create(URL[] classPath, ClassLoader parent) {
        return new PackageIndexedClassLoader(false, null, classPath, parent);
      }
    },
    PARENT_BEHIND_GATE {
      @Override
      PackageIndexedClassLoader create(URL[] classPath, ClassLoader parent) {
        return PackageIndexedClassLoader.create(null, classPath, parent, StreamletJarLauncher.bootLayerPackageDirectories());
      }
    };

    abstract PackageIndexedClassLoader create(URL[] classPath, ClassLoader parent);
  }

  private static String where(ClassLoader loader, String className) throws Exception {
    return (String) Class.forName(className, true, loader).getMethod("where").invoke(null);
  }

  /** A jar of the given sources (non-Java entries copied as they are), with Java 9+ versions of some. */
  private static Path jar(String name, boolean multiRelease, Map<String, String> sources, Map<String, String> java9Sources)
      throws IOException {
    Path base = compile(name, sources, 8);
    Path jar = directory.resolve(name + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(multiRelease))) {
      addTree(out, base, "");
      if (!java9Sources.isEmpty()) {
        addTree(out, compile(name + "-9", java9Sources, 9), "META-INF/versions/9/");
      }
    }
    return jar;
  }

  private static Path compile(String name, Map<String, String> sources, int release) throws IOException {
    Path sourceDirectory = directory.resolve(name + "-src");
    Path output = directory.resolve(name + "-classes");
    Files.createDirectories(output);
    List<String> arguments = new ArrayList<>(List.of("--release", String.valueOf(release), "-d", output.toString()));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = (source.getKey().endsWith(".java") ? sourceDirectory : output).resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      if (source.getKey().endsWith(".java")) {
        arguments.add(file.toString());
      }
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler.run(null, null, null, arguments.toArray(new String[0]))).isZero();
    return output;
  }

  private static Manifest manifest(boolean multiRelease) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (multiRelease) {
      manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
    }
    return manifest;
  }

  /** The files under root, and the directories (Spring Boot finds BOOT-INF/classes/ by its entry). */
  private static void addTree(JarOutputStream out, Path root, String prefix) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted().toList();
    }
    for (Path path : paths) {
      String name = prefix + root.relativize(path).toString().replace('\\', '/');
      if (Files.isDirectory(path)) {
        if (!name.isEmpty()) {
          out.putNextEntry(new JarEntry(name.endsWith("/") ? name : name + "/"));
          out.closeEntry();
        }
      } else {
        out.putNextEntry(new JarEntry(name));
        out.write(Files.readAllBytes(path));
        out.closeEntry();
      }
    }
  }

  /** Spring Boot reads nested jars in place: they are stored, not compressed. */
  private static void stored(JarOutputStream out, String name, byte[] bytes) throws IOException {
    JarEntry entry = new JarEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setCrc(crc.getValue());
    out.putNextEntry(entry);
    ((OutputStream) out).write(bytes);
    out.closeEntry();
  }
}
