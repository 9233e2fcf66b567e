package cloudflow.flink.boot.loader;

import java.net.URL;
import java.util.Collection;
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
    return new PackageIndexedClassLoader(false, getArchive(), urls.toArray(new URL[0]), getClass().getClassLoader());
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
