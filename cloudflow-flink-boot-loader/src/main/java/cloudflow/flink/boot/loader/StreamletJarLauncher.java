package cloudflow.flink.boot.loader;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.springframework.boot.loader.launch.JarLauncher;

/**
 * Spring Boot's {@link JarLauncher} with a {@link PackageIndexedClassLoader}: the {@code Main-Class}
 * of an application jar repackaged with {@code StreamletJarLayoutFactory}. Everything else (the class
 * path, the main class, the manifest) is Spring Boot's. An exploded archive (the jar unzipped and
 * started with {@code java <launcher>}) keeps Spring Boot's class loader.
 */
public class StreamletJarLauncher extends JarLauncher {

  /** System property that turns the launcher's {@code ParentGate} off when {@code false}: the parent is then asked for everything. */
  public static final String PARENT_GATE_PROPERTY = "cloudflow.loader.parent-gate";

  /**
   * Creates the launcher for the jar it was started from.
   *
   * @throws Exception when the jar cannot be read
   */
  public StreamletJarLauncher() throws Exception {
    super();
  }

  @Override
  protected ClassLoader createClassLoader(Collection<URL> urls) throws Exception {
    if (isExploded()) {
      return super.createClassLoader(urls);
    }
    return PackageIndexedClassLoader.create(getArchive(), urls.toArray(new URL[0]), getClass().getClassLoader(),
        parentDirectories());
  }

  /**
   * Every directory in which the class loader of this launcher can find a class or resource, from
   * this JVM's system properties ({@link #parentDirectories(Properties)}).
   */
  static Set<String> parentDirectories() {
    return parentDirectories(System.getProperties());
  }

  /**
   * Every directory in which the class loader of this launcher can find a class or resource: the
   * packages of the JDK's modules (and of any other module of the boot layer), and the directories of
   * the launcher's jar (the whole class path) outside {@code BOOT-INF/}. Null, so that the parent is
   * asked for everything, when the class path has more than one jar (such as a {@code -javaagent}'s),
   * classes were appended to the boot class path, the system class loader is not the JDK's, or
   * {@value #PARENT_GATE_PROPERTY} is {@code false}.
   *
   * <p>Not seen: jars an agent appends to the boot or system class path while the JVM runs
   * ({@code Instrumentation.appendTo...}); a package both in such a jar and in a nested jar then comes
   * from the nested jar. {@code -D}{@value #PARENT_GATE_PROPERTY}{@code =false} turns the gate off.
   */
  static Set<String> parentDirectories(Properties system) {
    String classPath = system.getProperty("java.class.path");
    if (classPath == null || classPath.isEmpty() || classPath.contains(File.pathSeparator)
        || system.getProperty("jdk.boot.class.path.append") != null || system.getProperty("java.system.class.loader") != null
        || "false".equalsIgnoreCase(system.getProperty(PARENT_GATE_PROPERTY))) {
      return null;
    }
    Set<String> directories = bootLayerPackageDirectories();
    try (JarFile jar = new JarFile(classPath)) {
      jar.stream()
          .map(JarEntry::getName)
          .filter(name -> !name.startsWith("BOOT-INF/"))
          .map(PackageIndexedClassLoader::directoryOf)
          .filter(Objects::nonNull)
          .forEach(directories::add);
    } catch (IOException e) {
      return null;
    }
    return directories;
  }

  /** The packages of every module of the boot layer (the JDK's, and any on the module path), as directories. */
  static Set<String> bootLayerPackageDirectories() {
    Set<String> directories = new HashSet<>();
    for (Module module : ModuleLayer.boot().modules()) {
      for (String packageName : module.getPackages()) {
        directories.add(packageName.replace('.', '/'));
      }
    }
    return directories;
  }

  /**
   * Launches the application.
   *
   * @param args the application's arguments
   * @throws Exception what the application's main method throws
   */
  public static void main(String[] args) throws Exception {
    new StreamletJarLauncher().launch(args);
  }
}
