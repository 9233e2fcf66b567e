package cloudflow.flink.boot.loader;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

/**
 * The parent of a {@link PackageIndexedClassLoader}: the class loader the launcher came from, except
 * for the directories that only the application's nested jars have, for which it answers "not found"
 * without asking.
 *
 * <p>A class loader asks its parent first, for every class and resource. Asked for a class of a
 * nested jar, the application class loader looks for it in the JDK's modules and in the launcher's
 * jar, fails, and throws a {@link ClassNotFoundException} with its stack trace: for each of the
 * ~20,000 classes a streamlet loads. That path runs often enough for the JIT to compile it (several
 * times over), on a machine whose cores the start already keeps busy. Where the parent cannot have
 * the name (its directory is neither a package of the JDK's modules nor a directory of the launcher's
 * jar, and that jar is the whole class path), the answer is the same without the question.
 */
final class ParentGate extends ClassLoader {

  static {
    ClassLoader.registerAsParallelCapable();
  }

  private final ClassLoader parent;
  private final Set<String> nestedOnly;

  /**
   * @param parent the class loader asked for everything else
   * @param nestedOnly the directories (such as {@code org/apache/flink/runtime}) the parent cannot have
   */
  ParentGate(ClassLoader parent, Set<String> nestedOnly) {
    super("cloudflow-parent-gate", parent);
    this.parent = parent;
    this.nestedOnly = nestedOnly;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (nestedOnly.contains(PackageIndexedClassLoader.directoryKey(name.replace('.', '/')))) {
      throw new NotInParentException(name);
    }
    // a parent is asked with resolve false: the child resolves what it returns
    return parent.loadClass(name);
  }

  @Override
  public URL getResource(String name) {
    return isNestedOnly(name) ? null : parent.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return isNestedOnly(name) ? Collections.emptyEnumeration() : parent.getResources(name);
  }

  private boolean isNestedOnly(String resourceName) {
    // a directory's own name ("p/") is left to the parent
    return !resourceName.endsWith("/") && nestedOnly.contains(PackageIndexedClassLoader.directoryKey(resourceName));
  }

  /** "Not found" without a stack trace: the child catches it and looks in its own jars. */
  private static final class NotInParentException extends ClassNotFoundException {
    private static final long serialVersionUID = 1L;

    NotInParentException(String name) {
      super(name);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
