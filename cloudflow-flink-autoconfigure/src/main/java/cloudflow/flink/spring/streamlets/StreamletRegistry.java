package cloudflow.flink.spring.streamlets;

import cloudflow.blueprint.Blueprint;
import cloudflow.blueprint.BlueprintVerifier;
import cloudflow.blueprint.StreamletResolver;
import cloudflow.blueprint.VerificationResult;
import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.plan.StreamletCatalog;
import cloudflow.flink.plan.TopicSettings;
import cloudflow.flink.spring.blueprint.BlueprintVerificationException;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.streamlets.StreamletShape;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streamlets of the application by name, with their shapes read once at startup (reading a shape
 * builds no logic and starts nothing). The names are the blueprint's when the application has one,
 * the bean names otherwise.
 */
public final class StreamletRegistry implements StreamletCatalog {

  private static final Logger log = LoggerFactory.getLogger(StreamletRegistry.class);

  private final Map<String, FlinkStreamlet> streamlets;
  private final Map<String, StreamletShape> shapes = new LinkedHashMap<>();
  private final Blueprint blueprint;

  /**
   * Reads the shape of every streamlet, named by bean name.
   *
   * @throws StreamletConfigurationException when a shape cannot be read
   */
  public StreamletRegistry(Map<String, FlinkStreamlet> streamlets) {
    this(streamlets, null);
  }

  private StreamletRegistry(Map<String, FlinkStreamlet> streamlets, Blueprint blueprint) {
    this.streamlets = Collections.unmodifiableMap(new LinkedHashMap<>(streamlets));
    this.blueprint = blueprint;
    this.streamlets.forEach((name, streamlet) -> shapes.put(name, readShape(name, streamlet)));
  }

  /**
   * The streamlets of a blueprint, after verifying it against their shapes. Warnings are logged.
   *
   * @param source where the blueprint came from, for messages
   * @throws BlueprintVerificationException listing every error, when the blueprint does not fit
   */
  public static StreamletRegistry fromBlueprint(
      Blueprint blueprint, String source, StreamletResolver resolver, boolean strictOutlets) {
    StreamletResolver resolveOnce = memoize(resolver);
    VerificationResult result = BlueprintVerifier.verify(blueprint, resolveOnce, strictOutlets);
    result.warnings().forEach(warning -> log.warn("Blueprint ({}): {}", source, warning.message()));
    if (!result.isValid()) {
      throw new BlueprintVerificationException(source, result);
    }
    Map<String, FlinkStreamlet> streamlets = new LinkedHashMap<>();
    blueprint.streamlets().forEach((name, beanOrClass) -> streamlets.put(name, resolveOnce.resolve(beanOrClass)));
    return new StreamletRegistry(streamlets, blueprint);
  }

  /** Resolves each entry once: streamlets are stateless, so one instance may serve several names. */
  static StreamletResolver memoize(StreamletResolver resolver) {
    Map<String, FlinkStreamlet> resolved = new HashMap<>();
    return beanOrClass -> resolved.computeIfAbsent(beanOrClass, resolver::resolve);
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

  /** The names of all streamlets: blueprint order, or bean registration order. */
  @Override
  public Set<String> names() {
    return streamlets.keySet();
  }

  /** The streamlet with the given name, or {@code null}. */
  @Override
  public FlinkStreamlet streamlet(String name) {
    return streamlets.get(name);
  }

  /** The shape of the streamlet with the given name, or {@code null}. */
  @Override
  public StreamletShape shape(String name) {
    return shapes.get(name);
  }

  /** Whether there is no streamlet at all. */
  public boolean isEmpty() {
    return streamlets.isEmpty();
  }

  @Override
  public boolean hasBlueprint() {
    return blueprint != null;
  }

  @Override
  public Map<String, TopicSettings> blueprintTopicSettings() {
    return blueprint == null ? Map.of() : blueprint.topicSettings();
  }

  /** The blueprint the streamlets come from, if the application has one. */
  public Optional<Blueprint> blueprint() {
    return Optional.ofNullable(blueprint);
  }

  /** The topics the blueprint connects a streamlet's ports to, by port name (empty without blueprint). */
  @Override
  public Map<String, String> blueprintPortMappings(String name) {
    return blueprint == null ? Map.of() : blueprint.portMappings(name);
  }
}
