package cloudflow.flink.boot.loader;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
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
   * Every directory in which the class loader of this launcher can find a class or resource: the
   * packages of the JDK's modules (and of any other module of the boot layer), and the directories of
   * this jar outside {@code BOOT-INF/}. Null, so that the parent is asked for everything, when the
   * class path has more than this jar, classes were appended to the boot class path or the system class
   * loader is not the JDK's.
   */
  static Set<String> parentDirectories() {
    String classPath = System.getProperty("java.class.path");
    if (classPath == null || classPath.isEmpty() || classPath.contains(File.pathSeparator)
        || System.getProperty("jdk.boot.class.path.append") != null || System.getProperty("java.system.class.loader") != null) {
      return null;
    }
    Set<String> directories = new HashSet<>();
    for (Module module : ModuleLayer.boot().modules()) {
      for (String packageName : module.getPackages()) {
        directories.add(packageName.replace('.', '/'));
      }
    }
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
