package sensors.upgrades;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.DoubleConfigParameter;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.LoggerFactory;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * Versions of a stateful streamlet for {@code UpgradeIT}: it counts readings per sensor in keyed
 * state held as an Avro {@code SpecificRecord} ({@code sensors.upgrades.state.Total}) and emits a
 * summary with the count after each reading. Each subclass is one version of the code, bound to the
 * streamlet name {@code processor} through the blueprint of a run; they differ only in what an
 * upgrade may change. {@code Total} is generated and compiled by the test in one version per schema
 * ({@code total-*.avsc}), the same class name each time, and put on the class path of the run whose
 * code was "built" with it ({@link #TOTAL}), as a redeployed jar would carry it; the versions here
 * load it by name, so they compile without it.
 */
public abstract class CountingStreamlet extends FlinkStreamlet {

  /** The generated state class of every version. */
  public static final String TOTAL = "sensors.upgrades.state.Total";

  final AvroInlet<SensorReading> in = AvroInlet.create("in", SensorReading.class);
  final AvroOutlet<SensorSummary> out = AvroOutlet.create("out", SensorSummary::getSensorId, SensorSummary.class);

  // the application's configuration sets it for the processor
  final DoubleConfigParameter alertThreshold = DoubleConfigParameter.create("alert-threshold", "unused here");

  private final String uid;
  private final String stateName;
  private final boolean extraStep;

  CountingStreamlet(String uid, String stateName, boolean extraStep) {
    this.uid = uid;
    this.stateName = stateName;
    this.extraStep = extraStep;
  }

  /** The schema of {@link #TOTAL} this version was built with: the name of a {@code total-*.avsc} resource. */
  public abstract String totalSchema();

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
        DataStream<SensorReading> readings = readStream(in);
        if (extraStep) {
          // a stateless step added in front of the stateful one
          readings = readings.filter(r -> r.getSensorId() != null).name("non-null").uid("non-null");
        }
        writeStream(out, readings.keyBy(SensorReading::getSensorId)
            .process(new Count(stateName), FlinkStreamletContext.typeInfoOf(SensorSummary.class))
            .uid(uid).name("count"));
      }
    };
  }

  /** Counts the readings of each sensor in a {@code Total} record. */
  static final class Count extends KeyedProcessFunction<String, SensorReading, SensorSummary> {

    private static final long serialVersionUID = 1L;

    private final String stateName;
    private transient Class<SpecificRecordBase> type;
    private transient ValueState<SpecificRecordBase> total;

    Count(String stateName) {
      this.stateName = stateName;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(OpenContext openContext) throws ClassNotFoundException {
      type = (Class<SpecificRecordBase>) Class.forName(TOTAL, true, Count.class.getClassLoader());
      total = getRuntimeContext().getState(new ValueStateDescriptor<>(stateName, new AvroTypeInfo<>(type)));
      // the test reads which version of Total this run holds its state in
      LoggerFactory.getLogger(Count.class).info("Counting in state '{}' of {}", stateName,
          SpecificData.get().getSchema(type));
    }

    @Override
    public void processElement(SensorReading reading, Context ctx, Collector<SensorSummary> out) throws Exception {
      SpecificRecordBase current = total.value();
      long count = current == null ? 1 : Long.parseLong(current.get("count").toString()) + 1;
      SpecificRecordBase next = type.getDeclaredConstructor().newInstance();
      for (Schema.Field field : next.getSchema().getFields()) {
        if (field.hasDefaultValue()) {
          next.put(field.pos(), SpecificData.get().getDefaultValue(field));
        }
      }
      next.put("sensor", reading.getSensorId());
      // the incompatible version keeps the count as a string
      next.put("count", next.getSchema().getField("count").schema().getType() == Schema.Type.STRING
          ? String.valueOf(count) : count);
      total.update(next);
      double value = reading.getValue();
      out.collect(new SensorSummary(reading.getSensorId(), count, value, value, value, value, false));
    }
  }

  /** Version 1. */
  public static final class V1 extends CountingStreamlet {
    /** Creates it. */
    public V1() {
      super("running-stats", "total", false);
    }

    @Override
    public String totalSchema() {
      return "total-v1";
    }
  }

  /**
   * Version 2, compatible: a stateless step before the stateful one, a field with a default added to
   * the state record (the parallelism is changed by its run's properties).
   */
  public static final class V2 extends CountingStreamlet {
    /** Creates it. */
    public V2() {
      super("running-stats", "total", true);
    }

    @Override
    public String totalSchema() {
      return "total-v2";
    }
  }

  /** Version 2 with the state operator's uid changed: v1's state is not claimed. */
  public static final class V2NewUid extends CountingStreamlet {
    /** Creates it. */
    public V2NewUid() {
      super("running-stats-v2", "total", false);
    }

    @Override
    public String totalSchema() {
      return "total-v1";
    }
  }

  /** Version 2 with an incompatible state type: {@code count} is a string now. */
  public static final class V2IncompatibleState extends CountingStreamlet {
    /** Creates it. */
    public V2IncompatibleState() {
      super("running-stats", "total", false);
    }

    @Override
    public String totalSchema() {
      return "total-incompatible";
    }
  }

  /** Version 2 with the state descriptor renamed ({@code total} → {@code running-total}), uid kept. */
  public static final class V2RenamedState extends CountingStreamlet {
    /** Creates it. */
    public V2RenamedState() {
      super("running-stats", "running-total", false);
    }

    @Override
    public String totalSchema() {
      return "total-v1";
    }
  }
}
