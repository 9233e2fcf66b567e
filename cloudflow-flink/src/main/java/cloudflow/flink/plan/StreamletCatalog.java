package cloudflow.flink.plan;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.streamlets.StreamletShape;
import java.util.Map;
import java.util.Set;

/** The streamlets of an application, as {@link StreamletPlanner} needs them: by name, with their shapes. */
public interface StreamletCatalog {

  /** The streamlets' names, in the order they run in. */
  Set<String> names();

  /** The streamlet of a name, or {@code null}. */
  FlinkStreamlet streamlet(String name);

  /** The shape of a streamlet, read once. */
  StreamletShape shape(String name);

  /** Whether the streamlets and their topics come from a (verified) blueprint. */
  boolean hasBlueprint();

  /** The topics the blueprint connects a streamlet's ports to, by port name (empty without blueprint). */
  Map<String, String> blueprintPortMappings(String name);

  /** How the blueprint's topics are created and reached, by Kafka topic name (empty without blueprint). */
  default Map<String, TopicSettings> blueprintTopicSettings() {
    return Map.of();
  }
}
