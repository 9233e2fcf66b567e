package cloudflow.blueprint;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing wrong with a blueprint, naming the streamlet, port and topic it concerns (each may be
 * {@code null} when it does not apply).
 *
 * @param severity an error stops the application; a warning is reported only
 * @param streamlet the streamlet's name in the blueprint
 * @param port the port's name
 * @param topic the topic's key in the blueprint
 * @param message what is wrong
 */
public record BlueprintProblem(Severity severity, String streamlet, String port, String topic, String message) {

  /** How bad a problem is. */
  public enum Severity {
    /** The blueprint cannot run. */
    ERROR,
    /** The blueprint runs, but probably not as intended. */
    WARNING
  }

  static BlueprintProblem error(String streamlet, String port, String topic, String message) {
    return new BlueprintProblem(Severity.ERROR, streamlet, port, topic, message);
  }

  static BlueprintProblem warning(String streamlet, String port, String topic, String message) {
    return new BlueprintProblem(Severity.WARNING, streamlet, port, topic, message);
  }

  /** The problem as a map, for JSON output; absent fields are left out. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("severity", severity.name().toLowerCase());
    if (streamlet != null) {
      map.put("streamlet", streamlet);
    }
    if (port != null) {
      map.put("port", port);
    }
    if (topic != null) {
      map.put("topic", topic);
    }
    map.put("message", message);
    return map;
  }

  @Override
  public String toString() {
    return severity + ": " + message;
  }
}
