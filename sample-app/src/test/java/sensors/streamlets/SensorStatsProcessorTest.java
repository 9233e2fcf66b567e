package sensors.streamlets;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.spring.test.StreamletTest;
import cloudflow.flink.spring.test.StreamletTestKafka;
import cloudflow.flink.testkit.KeyedRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * Runs the {@code processor} streamlet through the real auto-configuration and blueprint, on the
 * embedded broker the starter starts when no bootstrap servers are set, and a local Flink cluster:
 * readings go to the topic of its inlet, summaries come from the topic of its outlet.
 * {@link SensorStatsProcessorLogicTest} tests the same logic without Kafka.
 */
@StreamletTest(value = "processor", properties = "cloudflow.streamlets.processor.config-parameters.alert-threshold=25")
class SensorStatsProcessorTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Autowired StreamletTestKafka kafka;

  @Autowired SensorStatsProcessor processor;

  @Test
  void keepsRunningStatisticsPerSensorAndFlagsAlerts() {
    kafka.awaitRunning(TIMEOUT);
    double[][] values = {{10, 30, 20}, {5, 7}, {26}};
    List<SensorReading> readings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (int sensor = 0; sensor < values.length; sensor++) {
        if (i < values[sensor].length) {
          readings.add(new SensorReading("sensor-" + sensor, (long) i, values[sensor][i]));
        }
      }
    }
    kafka.send(processor.in, readings, SensorReading::getSensorId);

    List<KeyedRecord<SensorSummary>> records = kafka.receiveKeyed(processor.out, readings.size(), TIMEOUT);

    assertThat(records).hasSize(readings.size());
    Map<String, SensorSummary> last = new LinkedHashMap<>();
    List<Boolean> alerts = new ArrayList<>();
    for (KeyedRecord<SensorSummary> record : records) {
      SensorSummary summary = record.record();
      assertThat(record.key()).isEqualTo(summary.getSensorId());
      last.merge(summary.getSensorId(), summary, (a, b) -> a.getCount() > b.getCount() ? a : b);
      if (summary.getAlert()) {
        alerts.add(true);
      }
    }
    assertThat(last.get("sensor-0")).isEqualTo(new SensorSummary("sensor-0", 3L, 10.0, 30.0, 20.0, 20.0, false));
    assertThat(last.get("sensor-1")).isEqualTo(new SensorSummary("sensor-1", 2L, 5.0, 7.0, 6.0, 7.0, false));
    assertThat(last.get("sensor-2")).isEqualTo(new SensorSummary("sensor-2", 1L, 26.0, 26.0, 26.0, 26.0, true));
    assertThat(alerts).hasSize(2); // 30 from sensor-0 and 26 from sensor-2 are above 25
  }
}
