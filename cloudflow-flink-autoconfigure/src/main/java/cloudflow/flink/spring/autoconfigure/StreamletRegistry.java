package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.streamlets.StreamletShape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The streamlets of the application, by name (the bean name), with their shapes read once at startup.
 * Reading a shape builds no logic and starts nothing.
 */
public final class StreamletRegistry {

  private final Map<String, FlinkStreamlet> streamlets;
  private final Map<String, StreamletShape> shapes = new LinkedHashMap<>();

  /**
   * Reads the shape of every streamlet.
   *
   * @throws StreamletConfigurationException when a shape cannot be read
   */
  public StreamletRegistry(Map<String, FlinkStreamlet> streamlets) {
    this.streamlets = Collections.unmodifiableMap(new LinkedHashMap<>(streamlets));
    this.streamlets.forEach((name, streamlet) -> shapes.put(name, readShape(name, streamlet)));
  }

  private static StreamletShape readShape(String name, FlinkStreamlet streamlet) {
    try {
      StreamletShape shape = streamlet.shape();
      if (shape == null) {
        throw new IllegalStateException("shape() returned null");
      }
      return shape;
    } catch (RuntimeException e) {
      throw new StreamletConfigurationException(
          "The shape of streamlet '" + name + "' (" + streamlet.getClass().getName() + ") cannot be read: "
              + e.getMessage(),
          "Fix the inlets and outlets declared in " + streamlet.getClass().getSimpleName() + ".shape().",
          e);
    }
  }

  /** The names of all streamlets, in bean registration order. */
  public Set<String> names() {
    return streamlets.keySet();
  }

  /** The streamlet with the given name, or {@code null}. */
  public FlinkStreamlet streamlet(String name) {
    return streamlets.get(name);
  }

  /** The shape of the streamlet with the given name, or {@code null}. */
  public StreamletShape shape(String name) {
    return shapes.get(name);
  }

  /** Whether there is no streamlet at all. */
  public boolean isEmpty() {
    return streamlets.isEmpty();
  }
}
