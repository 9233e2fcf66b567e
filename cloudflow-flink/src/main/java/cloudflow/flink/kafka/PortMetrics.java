package cloudflow.flink.kafka;

import cloudflow.flink.metrics.StreamletMeters;
import org.apache.flink.metrics.MetricGroup;

/** What a port adds to its operator's metrics so that reporters can tag them with its topic. */
final class PortMetrics {

  private PortMetrics() {}

  /**
   * Registers the port's topic as a metric variable: a reporter in another process (a Flink cluster's
   * task manager) learns it from there, where the application's own port → topic map is out of reach.
   */
  static void nameTopic(MetricGroup operatorGroup, String topic) {
    operatorGroup.addGroup(StreamletMeters.TOPIC_GROUP, topic).gauge(StreamletMeters.PORT_TOPIC_METRIC, () -> 1);
  }
}
