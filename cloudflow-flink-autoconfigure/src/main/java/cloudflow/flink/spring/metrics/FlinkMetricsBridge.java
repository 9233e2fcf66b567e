package cloudflow.flink.spring.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hand-off between Spring and Flink's metric system. Flink creates its reporters itself (by
 * class name, through {@link MicrometerMetricReporterFactory}), so the reporter finds the
 * application's {@link MeterRegistry} and the port → topic mappings here. Only reporters in this JVM
 * (the local MiniCluster) see it.
 */
public final class FlinkMetricsBridge {

  private static volatile MeterRegistry registry;
  private static volatile String applicationId = "";
  private static final Map<String, Map<String, String>> TOPICS = new ConcurrentHashMap<>();

  private FlinkMetricsBridge() {}

  /** Connects the reporters of this JVM to a registry. */
  public static void connect(MeterRegistry meterRegistry, String application) {
    registry = meterRegistry;
    applicationId = application;
  }

  /** Disconnects the given registry, if it is the connected one. */
  public static void disconnect(MeterRegistry meterRegistry) {
    if (registry == meterRegistry) {
      registry = null;
      TOPICS.clear();
    }
  }

  /** Records the topic of each port of a streamlet, used for the {@code topic} tag. */
  public static void registerPorts(String streamletRef, Map<String, String> portMappings) {
    TOPICS.put(streamletRef, Map.copyOf(portMappings));
  }

  static MeterRegistry registry() {
    return registry;
  }

  static String applicationId() {
    return applicationId;
  }

  static String topicOf(String streamletRef, String port) {
    return TOPICS.getOrDefault(streamletRef, Map.of()).getOrDefault(port, "");
  }
}
