package cloudflow.flink.kafka;

import cloudflow.flink.metrics.StreamletMeters;
import org.apache.flink.metrics.MetricGroup;

/** What a port adds to its operator's metrics so that reporters know which port and topic they are of. */
final class PortMetrics {

  private PortMetrics() {}

  /**
   * Registers the port and its topic as metric variables of its operator: reporters tell the port's
   * metrics apart from the rest by them (not by operator names, which are Flink's to change), also in
   * another process (a Flink cluster's task manager), where the application's port map is out of reach.
   */
  static void name(MetricGroup operatorGroup, boolean inlet, String port, String topic) {
    operatorGroup.addGroup(StreamletMeters.PORT_GROUP, port).addGroup(StreamletMeters.TOPIC_GROUP, topic)
        .gauge(inlet ? StreamletMeters.INLET_METRIC : StreamletMeters.OUTLET_METRIC, () -> 1);
  }
}
