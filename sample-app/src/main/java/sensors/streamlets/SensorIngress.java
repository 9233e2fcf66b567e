package sensors.streamlets;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.DoubleConfigParameter;
import cloudflow.streamlets.IntegerConfigParameter;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroOutlet;
import java.util.SplittableRandom;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.springframework.stereotype.Component;
import sensors.data.SensorReading;

/**
 * Generates sensor readings at a steady rate (config parameter {@code records-per-second}) for a
 * number of sensors (config parameter {@code sensors}), keyed by sensor id.
 */
@Component("ingress")
public class SensorIngress extends FlinkStreamlet {

  final AvroOutlet<SensorReading> out = AvroOutlet.create("out", SensorReading::getSensorId, SensorReading.class);

  final DoubleConfigParameter recordsPerSecond =
      DoubleConfigParameter.create("records-per-second", "Readings generated per second, over all sensors")
          .withDefaultValue(10.0);
  final IntegerConfigParameter sensors =
      IntegerConfigParameter.create("sensors", "Number of sensors the readings come from").withDefaultValue(5);

  @Override
  public ConfigParameter<?>[] defineConfigParams() {
    return new ConfigParameter<?>[] {recordsPerSecond, sensors};
  }

  @Override
  public StreamletShape shape() {
    return StreamletShape.createWithOutlets(out);
  }

  @Override
  public FlinkStreamletLogic createLogic() {
    return new FlinkStreamletLogic(getContext()) {
      @Override
      public void buildExecutionGraph() {
        double rate = recordsPerSecond.getValue(getContext());
        int sensorCount = sensors.getValue(getContext());
        DataGeneratorSource<SensorReading> source =
            new DataGeneratorSource<>(
                new ReadingGenerator(sensorCount),
                Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(rate),
                FlinkStreamletContext.typeInfoOf(SensorReading.class));
        writeStream(out, env().fromSource(source, WatermarkStrategy.noWatermarks(), "sensor-generator").uid("generator"));
      }
    };
  }

  /** Readings that wander around 20 with some noise; a pure function of the index so it is repeatable. */
  static final class ReadingGenerator implements GeneratorFunction<Long, SensorReading> {

    private static final long serialVersionUID = 1L;

    private final int sensors;

    ReadingGenerator(int sensors) {
      this.sensors = sensors;
    }

    @Override
    public SensorReading map(Long index) {
      int sensor = (int) (index % sensors);
      double noise = new SplittableRandom(index).nextDouble(-2, 2);
      double value = 20 + 10 * Math.sin(index / (10.0 * sensors) + sensor) + noise;
      return new SensorReading("sensor-" + sensor, System.currentTimeMillis(), value);
    }
  }
}
