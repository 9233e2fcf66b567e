package cloudflow.flink.spring.testsupport;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.spring.testdata.Reading;
import cloudflow.streamlets.BooleanConfigParameter;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.DoubleConfigParameter;
import cloudflow.streamlets.DurationConfigParameter;
import cloudflow.streamlets.IntegerConfigParameter;
import cloudflow.streamlets.LongConfigParameter;
import cloudflow.streamlets.MemorySizeConfigParameter;
import cloudflow.streamlets.RegExpConfigParameter;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.StringConfigParameter;
import cloudflow.streamlets.avro.AvroOutlet;
import java.time.Duration;

/**
 * An ingress (outlet {@code out}) that declares a config parameter of every kind: {@code threshold}
 * is required, every other one has a default. Its {@link #createLogic()} throws, so a test can use it
 * where no job may be built.
 */
public class ParameterizedIngress extends FlinkStreamlet {

  /** Default of {@link #bufferSize}: 64 MiB. */
  public static final long DEFAULT_BUFFER_BYTES = 64L * 1024 * 1024;

  public final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);

  public final DoubleConfigParameter threshold = DoubleConfigParameter.create("threshold", "Readings above this are alerts");

  public final StringConfigParameter greeting =
      StringConfigParameter.create("greeting", "Text logged at start").withDefaultValue("hello");

  public final IntegerConfigParameter batchSize =
      IntegerConfigParameter.create("batch-size", "Readings per batch").withDefaultValue(64);

  public final LongConfigParameter maxRecords =
      LongConfigParameter.create("max-records", "Readings generated at most").withDefaultValue(5_000_000_000L);

  public final BooleanConfigParameter enabled =
      BooleanConfigParameter.create("enabled", "Whether readings are generated").withDefaultValue(true);

  public final DurationConfigParameter interval =
      DurationConfigParameter.create("interval", "Time between batches").withDefaultValue(Duration.ofSeconds(10));

  public final MemorySizeConfigParameter bufferSize =
      MemorySizeConfigParameter.create("buffer-size", "Memory for buffered readings").withDefaultValue(DEFAULT_BUFFER_BYTES);

  public final RegExpConfigParameter sensorId =
      RegExpConfigParameter.create("sensor-id", "Id of the first sensor", "sensor-[0-9]+").withDefaultValue("sensor-1");

  @Override
  public ConfigParameter<?>[] defineConfigParams() {
    return new ConfigParameter<?>[] {threshold, greeting, batchSize, maxRecords, enabled, interval, bufferSize, sensorId};
  }

  @Override
  public StreamletShape shape() {
    return StreamletShape.createWithOutlets(out);
  }

  @Override
  public FlinkStreamletLogic createLogic() {
    throw new IllegalStateException("createLogic() must not be called");
  }
}
