package sensors.streamlets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import cloudflow.flink.testkit.FlinkOutletTap;
import cloudflow.flink.testkit.FlinkTestkit;
import cloudflow.flink.testkit.KeyedRecord;
import java.util.List;
import org.junit.jupiter.api.Test;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * The {@code processor} streamlet's logic on a local Flink environment, without Kafka or Spring:
 * the testkit feeds its inlet from a list and collects its outlet, with the keys its partitioner
 * gives. With the testkit's parallelism of 1 the summaries come out in the order of the readings.
 * {@link SensorStatsProcessorTest} runs the same streamlet on Kafka.
 */
class SensorStatsProcessorLogicTest {

  private static final List<SensorReading> READINGS =
      List.of(
          new SensorReading("sensor-0", 0L, 10.0),
          new SensorReading("sensor-1", 0L, 5.0),
          new SensorReading("sensor-2", 0L, 26.0),
          new SensorReading("sensor-0", 1L, 30.0),
          new SensorReading("sensor-1", 1L, 7.0),
          new SensorReading("sensor-0", 2L, 20.0));

  private final SensorStatsProcessor processor = new SensorStatsProcessor();

  /** Runs the processor under its blueprint name with the given alert threshold and returns its outlet tap. */
  private FlinkOutletTap<SensorSummary> run(double alertThreshold) {
    FlinkTestkit testkit =
        new FlinkTestkit().withStreamletRef("processor").withConfigParameterValue("alert-threshold", alertThreshold);
    FlinkOutletTap<SensorSummary> out = testkit.outletAsTap(processor.out);
    testkit.run(processor, List.of(testkit.inletAsTap(processor.in, READINGS)), List.of(out));
    return out;
  }

  @Test
  void emitsTheRunningStatisticsOfTheSensorAfterEachReadingKeyedBySensorId() {
    FlinkOutletTap<SensorSummary> out = run(25);

    assertThat(out.keyedRecords())
        .containsExactly(
            new KeyedRecord<>("sensor-0", new SensorSummary("sensor-0", 1L, 10.0, 10.0, 10.0, 10.0, false)),
            new KeyedRecord<>("sensor-1", new SensorSummary("sensor-1", 1L, 5.0, 5.0, 5.0, 5.0, false)),
            new KeyedRecord<>("sensor-2", new SensorSummary("sensor-2", 1L, 26.0, 26.0, 26.0, 26.0, true)),
            new KeyedRecord<>("sensor-0", new SensorSummary("sensor-0", 2L, 10.0, 30.0, 20.0, 30.0, true)),
            new KeyedRecord<>("sensor-1", new SensorSummary("sensor-1", 2L, 5.0, 7.0, 6.0, 7.0, false)),
            new KeyedRecord<>("sensor-0", new SensorSummary("sensor-0", 3L, 10.0, 30.0, 20.0, 20.0, false)));
  }

  @Test
  void eachSensorKeepsItsOwnStateInOrder() {
    FlinkOutletTap<SensorSummary> out = run(25);

    assertThat(out.recordsByKey()).containsOnlyKeys("sensor-0", "sensor-1", "sensor-2");
    assertThat(out.recordsByKey().get("sensor-0")).extracting(SensorSummary::getCount).containsExactly(1L, 2L, 3L);
    assertThat(out.recordsByKey().get("sensor-0")).extracting(SensorSummary::getMax).containsExactly(10.0, 30.0, 30.0);
    assertThat(out.recordsByKey().get("sensor-1")).extracting(SensorSummary::getMean).containsExactly(5.0, 6.0);
  }

  @Test
  void flagsReadingsAboveTheAlertThresholdParameter() {
    assertThat(run(6).records()).extracting(SensorSummary::getAlert)
        .containsExactly(true, false, true, true, true, true); // only 5.0 is not above 6
    assertThat(run(30).records()).extracting(SensorSummary::getAlert)
        .containsOnly(false); // 30.0 is not above 30
  }

  @Test
  void doesNotRunWithoutAnAlertThreshold() {
    FlinkTestkit testkit = new FlinkTestkit().withStreamletRef("processor");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> testkit.run(processor, List.of(testkit.inletAsTap(processor.in, READINGS)), List.of()))
        .withMessageContaining("cloudflow.streamlets.processor.config-parameters.alert-threshold is required");
  }
}
