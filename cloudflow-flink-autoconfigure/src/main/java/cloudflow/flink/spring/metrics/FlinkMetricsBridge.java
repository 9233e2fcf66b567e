package cloudflow.flink.spring.metrics;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The hand-off between Spring and Flink's metric system. Flink creates its reporters itself (by
 * class name, through {@link MicrometerMetricReporterFactory}), so the reporter finds the
 * application's {@link MeterRegistry} and id here. Only reporters in this JVM
 * (the local MiniCluster) see it.
 */
public final class FlinkMetricsBridge {

  private static volatile MeterRegistry registry;
  private static volatile String applicationId = "";

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
    }
  }

  static MeterRegistry registry() {
    return registry;
  }

  static String applicationId() {
    return applicationId;
  }
}
