package sensors.streamlets;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.DoubleConfigParameter;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.springframework.stereotype.Component;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * Keeps running statistics per sensor in Flink keyed state (checkpointed, so they survive restarts)
 * and emits an updated summary after each reading, flagged as an alert above
 * the {@code alert-threshold} config parameter.
 */
@Component("processor")
public class SensorStatsProcessor extends FlinkStreamlet {

  final AvroInlet<SensorReading> in = AvroInlet.create("in", SensorReading.class);
  final AvroOutlet<SensorSummary> out = AvroOutlet.create("out", SensorSummary::getSensorId, SensorSummary.class);

  final DoubleConfigParameter alertThreshold =
      DoubleConfigParameter.create("alert-threshold", "Readings above this value are flagged as alerts");

  @Override
  public ConfigParameter<?>[] defineConfigParams() {
    return new ConfigParameter<?>[] {alertThreshold};
  }

  @Override
  public StreamletShape shape() {
    return StreamletShape.createWithInlets(in).withOutlets(out);
  }

  @Override
  public FlinkStreamletLogic createLogic() {
    return new FlinkStreamletLogic(getContext()) {
      @Override
      public void buildExecutionGraph() {
        double threshold = alertThreshold.getValue(getContext());
        writeStream(
            out,
            readStream(in)
                .keyBy(SensorReading::getSensorId)
                .process(new RunningStats(threshold), FlinkStreamletContext.typeInfoOf(SensorSummary.class))
                .uid("running-stats")
                .name("running-stats"));
      }
    };
  }

  /** Folds each reading into the sensor's summary held in keyed state. */
  static final class RunningStats extends KeyedProcessFunction<String, SensorReading, SensorSummary> {

    private static final long serialVersionUID = 1L;

    private final double alertThreshold;
    private transient ValueState<SensorSummary> summary;

    RunningStats(double alertThreshold) {
      this.alertThreshold = alertThreshold;
    }

    @Override
    public void open(OpenContext openContext) {
      summary = getRuntimeContext().getState(
          new ValueStateDescriptor<>("summary", FlinkStreamletContext.typeInfoOf(SensorSummary.class)));
    }

    @Override
    public void processElement(SensorReading reading, Context ctx, Collector<SensorSummary> out) throws Exception {
      SensorSummary current = summary.value();
      double value = reading.getValue();
      SensorSummary next =
          current == null
              ? new SensorSummary(reading.getSensorId(), 1L, value, value, value, value, value > alertThreshold)
              : new SensorSummary(
                  reading.getSensorId(),
                  current.getCount() + 1,
                  Math.min(current.getMin(), value),
                  Math.max(current.getMax(), value),
                  current.getMean() + (value - current.getMean()) / (current.getCount() + 1),
                  value,
                  value > alertThreshold);
      summary.update(next);
      out.collect(next);
    }
  }
}
