package cloudflow.flink.runtime;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the runtime needs to know about one streamlet of an application, besides its code.
 *
 * @param applicationId the application's id; prefixes consumer groups and transactional ids
 * @param streamletRef the streamlet's name in the application, also the Flink job name
 * @param portMappings the topic of each port, by port name
 * @param config the application's configuration, given to the logic as {@code config()}
 */
public record StreamletDefinition(
    String applicationId, String streamletRef, Map<String, String> portMappings, Config config) {

  /** Validates and copies the definition. */
  public StreamletDefinition {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(streamletRef, "streamletRef");
    portMappings = Map.copyOf(portMappings);
    Objects.requireNonNull(config, "config");
  }
}
