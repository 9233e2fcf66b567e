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
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.lang.model.SourceVersion;
import org.springframework.boot.loader.launch.Archive;
import org.springframework.boot.loader.launch.LaunchedClassLoader;
import org.springframework.boot.loader.log.DebugLogger;

/**
 * Spring Boot's {@link LaunchedClassLoader} that finds a class or resource only in the class path
 * entries that have its directory, in class path order.
 *
 * <p>{@link java.net.URLClassLoader} asks every entry of the class path in turn for each class it
 * loads; for the nested jars of an executable jar each question parses a URL and opens a connection.
 * A streamlet loads about 11,000 classes from about 110 jars, which made some 600,000 such questions
 * per start. This loader reads the directory of every jar once, when it is created, and asks only
 * the jars that have the class's package, in the same order as before: the class found is the one
 * the class path order gives, so nothing changes but the work. The same goes for resources, such as
 * class files Spring reads and the {@code META-INF/services} files {@link java.util.ServiceLoader}
 * asks every jar for; names the index cannot answer for (directories, raw multi-release names, names
 * a URL would encode) are found as before.
 *
 * <p>Where an entry cannot be read, the index is not used at all and every class and resource is
 * looked up the usual way. With {@code -Dloader.debug=true} (Spring Boot's loader logging) the loader says which.
 */
public class PackageIndexedClassLoader extends LaunchedClassLoader {

  static {
    ClassLoader.registerAsParallelCapable();
  }

  private static final DebugLogger debug = DebugLogger.get(PackageIndexedClassLoader.class);

  private static final Entry[] NO_ENTRIES = new Entry[0];

  private final Map<String, Entry[]> entriesByDirectory;

  /**
   * Creates the loader and reads the directory of every class path entry.
   *
   * @param exploded whether the application runs from an exploded archive
   * @param rootArchive the application's archive
   * @param urls the class path, in order
   * @param parent the parent class loader
   */
  public PackageIndexedClassLoader(boolean exploded, Archive rootArchive, URL[] urls, ClassLoader parent) {
    this(exploded, rootArchive, urls, parent, exploded ? null : index(urls));
  }

  private PackageIndexedClassLoader(boolean exploded, Archive rootArchive, URL[] urls, ClassLoader parent,
      Map<String, Entry[]> entriesByDirectory) {
    super(exploded, rootArchive, urls, parent);
    this.entriesByDirectory = entriesByDirectory;
  }

  /**
   * Creates the loader for a jar's nested class path, reading the directory of every entry, with a
   * {@link ParentGate} in front of the parent: the parent is not asked for classes and resources in
   * directories that only the nested jars have.
   *
   * @param rootArchive the application's archive (a jar, not exploded)
   * @param urls the class path, in order
   * @param parent the parent class loader
   * @param parentDirectories every directory (such as {@code java/lang}) in which the parent can find
   *     a class or resource; null when that is not known, and then the parent is asked for everything
   * @return the class loader
   */
  public static PackageIndexedClassLoader create(Archive rootArchive, URL[] urls, ClassLoader parent,
      Set<String> parentDirectories) {
    Map<String, Entry[]> index = index(urls);
    ClassLoader gated = parent;
    if (index != null && parentDirectories != null) {
      Set<String> nestedOnly = new HashSet<>();
      for (String directory : index.keySet()) {
        // other names (META-INF/...) may be resources of the JDK's modules outside their packages
        if (!parentDirectories.contains(directory) && SourceVersion.isName(directory.replace('/', '.'))) {
          nestedOnly.add(directory);
        }
      }
      gated = new ParentGate(parent, nestedOnly);
      debug.log("The parent class loader is not asked for the %s directories only nested jars have", nestedOnly.size());
    }
    return new PackageIndexedClassLoader(false, rootArchive, urls, gated, index);
  }

  /** Whether classes and resources are found through the index (every class path entry could be read). */
  boolean isIndexed() {
    return entriesByDirectory != null;
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    if (entriesByDirectory == null) {
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

  @Override
  public URL findResource(String name) {
    if (!answersFor(name)) {
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

  @Override
  public Enumeration<URL> findResources(String name) throws IOException {
    if (!answersFor(name)) {
      return super.findResources(name);
    }
    try {
      List<URL> urls = new ArrayList<>(1);
      Entry[] candidates = candidatesFor(name);
      for (int i = nextOwner(candidates, 0, name); i >= 0; i = nextOwner(candidates, i + 1, name)) {
        urls.add(new URL(candidates[i].url, name));
      }
      return Collections.enumeration(urls);
    } catch (IllegalStateException | MalformedURLException e) {
      return super.findResources(name);
    }
  }

  /**
   * Whether the index answers for a resource name: a plain name without a trailing slash. Names with
   * one, raw names of a multi-release jar's versioned entries, module descriptors and names with
   * {@code .}, {@code ..} or empty segments are looked up the usual way.
   */
  private boolean answersFor(String name) {
    return entriesByDirectory != null && isPlainPath(name) && !name.endsWith("/") && !name.startsWith("META-INF/versions/")
        && !name.endsWith("module-info.class") && !name.startsWith("./") && !name.startsWith("../")
        && !name.contains("/./") && !name.contains("/../") && !name.contains("//");
  }

  /**
   * The first class path entry, in class path order, whose jar has {@code path}; null when none has it.
   *
   * @throws IllegalStateException when a jar was closed meanwhile ({@link #clearCache()}, {@link #close()})
   */
  private Entry firstOwnerOf(String path) {
    Entry[] candidates = candidatesFor(path);
    int owner = nextOwner(candidates, 0, path);
    return owner < 0 ? null : candidates[owner];
  }

  /** The class path entries with entries in the directory of {@code path}, in class path order: the only ones asked for it. */
  private Entry[] candidatesFor(String path) {
    Entry[] candidates = entriesByDirectory.get(directoryKey(path));
    return candidates == null ? NO_ENTRIES : candidates;
  }

  /**
   * The index's key for a class or resource path: everything before its last slash ({@code ""} for a
   * top-level name). {@link ParentGate} looks names up by the same key.
   */
  static String directoryKey(String path) {
    int lastSlash = path.lastIndexOf('/');
    return lastSlash < 0 ? "" : path.substring(0, lastSlash);
  }

  /**
   * The index of the first of {@code candidates}, from {@code from} on, whose jar has {@code path}; -1
   * when none has it. (An index, not a list: class loading asks this for every class, allocating nothing.)
   *
   * @throws IllegalStateException when a jar was closed meanwhile ({@link #clearCache()}, {@link #close()})
   */
  private static int nextOwner(Entry[] candidates, int from, String path) {
    for (int i = from; i < candidates.length; i++) {
      if (candidates[i].jar.getJarEntry(path) != null) {
        return i;
      }
    }
    return -1;
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

  /** Directory (such as {@code org/apache/flink/runtime}) to the entries that have files or directories in it, in class path order. */
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
        String directory = directoryOf(entries.nextElement().getName());
        if (directory != null) {
          List<Entry> owners = index.computeIfAbsent(directory, key -> new ArrayList<>(1));
          if (owners.isEmpty() || owners.get(owners.size() - 1) != entry) {
            owners.add(entry);
          }
        }
      }
    }
    Map<String, Entry[]> frozen = new HashMap<>(index.size() * 2);
    index.forEach((directory, owners) -> frozen.put(directory, owners.toArray(NO_ENTRIES)));
    debug.log("Indexed %s directories of %s class path entries", frozen.size(), urls.length);
    return frozen;
  }

  /**
   * The directory an entry is in (a directory entry's too: {@link JarFile#getJarEntry} finds {@code p/}
   * when asked for {@code p}), a multi-release jar's versioned entries under their unversioned names;
   * null for module descriptors.
   */
  static String directoryOf(String entryName) {
    if (entryName.endsWith("module-info.class")) {
      return null;
    }
    String name = entryName.endsWith("/") ? entryName.substring(0, entryName.length() - 1) : entryName;
    if (name.startsWith("META-INF/versions/")) {
      int slash = name.indexOf('/', "META-INF/versions/".length());
      if (slash < 0) {
        return null;
      }
      name = name.substring(slash + 1);
    }
    int lastSlash = name.lastIndexOf('/');
    return name.isEmpty() ? null : lastSlash < 0 ? "" : name.substring(0, lastSlash);
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
