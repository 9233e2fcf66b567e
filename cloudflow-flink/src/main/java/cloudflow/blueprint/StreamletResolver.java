package cloudflow.blueprint;

import cloudflow.flink.FlinkStreamlet;
import java.util.Map;

/**
 * Finds the streamlet a blueprint entry names: a bean name in a Spring application, or a class name
 * of a {@link FlinkStreamlet} with a no-argument constructor.
 */
@FunctionalInterface
public interface StreamletResolver {

  /**
   * The streamlet named by {@code beanOrClass}.
   *
   * @throws IllegalArgumentException when nothing by that name exists or it is not a streamlet
   */
  FlinkStreamlet resolve(String beanOrClass);

  /**
   * Resolves names in {@code streamlets} first (for example beans by name), then class names by
   * creating an instance with the class's no-argument constructor.
   */
  static StreamletResolver of(Map<String, ? extends FlinkStreamlet> streamlets) {
    return name -> {
      FlinkStreamlet known = streamlets.get(name);
      return known != null ? known : instantiate(name);
    };
  }

  /** Creates an instance of a streamlet class by name. */
  static FlinkStreamlet instantiate(String className) {
    Class<?> type;
    try {
      type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("no streamlet bean or class named '" + className + "'");
    }
    if (!FlinkStreamlet.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(className + " is not a FlinkStreamlet");
    }
    try {
      return (FlinkStreamlet) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException("cannot create " + className + " with its no-argument constructor: " + e);
    }
  }
}
