package cloudflow.flink.boot.loader;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.security.CodeSource;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.springframework.boot.loader.launch.Archive;
import org.springframework.boot.loader.launch.LaunchedClassLoader;
import org.springframework.boot.loader.log.DebugLogger;

/**
 * Spring Boot's {@link LaunchedClassLoader} that finds a class only in the class path entries that
 * have its package, in class path order.
 *
 * <p>{@link java.net.URLClassLoader} asks every entry of the class path in turn for each class it
 * loads; for the nested jars of an executable jar each question parses a URL and opens a connection.
 * A streamlet loads about 11,000 classes from about 110 jars, which made some 600,000 such questions
 * per start. This loader reads the directory of every jar once, when it is created, and asks only
 * the jars that have the class's package, in the same order as before: the class found is the one
 * the class path order gives, so nothing changes but the work. The same goes for class files asked
 * for as resources; other resources are found as before.
 *
 * <p>Where an entry cannot be read, the index is not used at all and every class is looked up the
 * usual way. With {@code -Dloader.debug=true} (Spring Boot's loader logging) the loader says which.
 */
public class PackageIndexedClassLoader extends LaunchedClassLoader {

  static {
    ClassLoader.registerAsParallelCapable();
  }

  private static final DebugLogger debug = DebugLogger.get(PackageIndexedClassLoader.class);

  private final Map<String, Entry[]> entriesByPackage;

  /**
   * Creates the loader and reads the directory of every class path entry.
   *
   * @param exploded whether the application runs from an exploded archive
   * @param rootArchive the application's archive
   * @param urls the class path, in order
   * @param parent the parent class loader
   */
  public PackageIndexedClassLoader(boolean exploded, Archive rootArchive, URL[] urls, ClassLoader parent) {
    super(exploded, rootArchive, urls, parent);
    this.entriesByPackage = exploded ? null : index(urls);
  }

  /** Whether classes are found through the package index (every class path entry could be read). */
  boolean isIndexed() {
    return entriesByPackage != null;
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    if (entriesByPackage == null) {
      return super.findClass(name);
    }
    String path = name.replace('.', '/').concat(".class");
    try {
      Entry owner = firstOwnerOf(path);
      if (owner != null) {
        return define(name, owner, owner.jar.getJarEntry(path));
      }
    } catch (IllegalStateException closed) {
      // a jar closed by clearCache() or close(): the usual way reopens it
      return super.findClass(name);
    }
    throw new ClassNotFoundException(name);
  }

  /**
   * Class files asked for as resources (Spring reads configuration classes that way) come from the
   * index too; every other resource is found the usual way.
   */
  @Override
  public URL findResource(String name) {
    // versioned class files and module descriptors are asked for by their raw names, which the index does not hold
    if (entriesByPackage == null || !name.endsWith(".class") || name.startsWith("META-INF/")
        || name.endsWith("module-info.class") || !isPlainPath(name)) {
      return super.findResource(name);
    }
    try {
      Entry owner = firstOwnerOf(name);
      // the URL the class path itself gives: the entry's name relative to the jar's URL
      return owner == null ? null : new URL(owner.url, name);
    } catch (IllegalStateException | MalformedURLException e) {
      return super.findResource(name);
    }
  }

  /**
   * The first class path entry, in class path order, whose jar has the class file {@code path}; null
   * when none has it. Only the entries with classes in the file's package are asked.
   *
   * @throws IllegalStateException when a jar was closed meanwhile ({@link #clearCache()}, {@link #close()})
   */
  private Entry firstOwnerOf(String path) {
    int lastSlash = path.lastIndexOf('/');
    Entry[] candidates = entriesByPackage.get(lastSlash < 0 ? "" : path.substring(0, lastSlash));
    if (candidates != null) {
      for (Entry candidate : candidates) {
        if (candidate.jar.getJarEntry(path) != null) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** Letters, digits and {@code /._$-} only: names that URLs take as they are. */
  private static boolean isPlainPath(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '.' || c == '_'
          || c == '$' || c == '-')) {
        return false;
      }
    }
    return !name.startsWith("/");
  }

  private Class<?> define(String name, Entry candidate, JarEntry entry) throws ClassNotFoundException {
    byte[] bytes;
    try (InputStream in = candidate.jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    Certificate[] certificates = entry.getCertificates();
    return defineClass(name, bytes, 0, bytes.length, new CodeSource(candidate.url, certificates));
  }

  /** Package directory (such as {@code org/apache/flink/runtime}) to the entries that have classes in it, in class path order. */
  private static Map<String, Entry[]> index(URL[] urls) {
    Map<String, List<Entry>> index = new HashMap<>();
    for (URL url : urls) {
      JarFile jar = jarFileOf(url);
      if (jar == null) {
        debug.log("Classes are looked up in every class path entry in turn: %s cannot be read as a jar", url);
        return null;
      }
      Entry entry = new Entry(url, jar);
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        String packageName = packageOf(entries.nextElement().getName());
        if (packageName != null) {
          List<Entry> owners = index.computeIfAbsent(packageName, key -> new ArrayList<>(1));
          if (owners.isEmpty() || owners.get(owners.size() - 1) != entry) {
            owners.add(entry);
          }
        }
      }
    }
    Map<String, Entry[]> frozen = new HashMap<>(index.size() * 2);
    index.forEach((packageName, owners) -> frozen.put(packageName, owners.toArray(new Entry[0])));
    debug.log("Indexed %s packages of %s class path entries", frozen.size(), urls.length);
    return frozen;
  }

  /** The package directory of a class entry (also of a multi-release jar's versioned one), or null for any other entry. */
  static String packageOf(String entryName) {
    if (!entryName.endsWith(".class") || entryName.endsWith("module-info.class")) {
      return null;
    }
    String name = entryName;
    if (name.startsWith("META-INF/versions/")) {
      int slash = name.indexOf('/', "META-INF/versions/".length());
      if (slash < 0) {
        return null;
      }
      name = name.substring(slash + 1);
    }
    int lastSlash = name.lastIndexOf('/');
    return lastSlash < 0 ? "" : name.substring(0, lastSlash);
  }

  /** The jar behind a class path entry, opened the way the class loader itself opens it (cached by Spring Boot's handler), or null. */
  private static JarFile jarFileOf(URL url) {
    try {
      URLConnection connection = url.openConnection();
      if (connection instanceof JarURLConnection jarConnection) {
        jarConnection.setUseCaches(true);
        return jarConnection.getJarFile();
      }
    } catch (IOException | RuntimeException e) {
      // not indexed: found the usual way
    }
    return null;
  }

  /** One class path entry: its URL (the classes' code source) and its jar. */
  private record Entry(URL url, JarFile jar) {}
}
