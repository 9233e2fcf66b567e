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
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * Versions of a stateful streamlet for {@code UpgradeIT}: it counts readings per sensor in keyed
 * state held as an Avro record ({@code Total}) and emits a summary with the count after each reading.
 * Each subclass is one version of the code, bound to the streamlet name {@code processor} through
 * the blueprint of a run; they differ only in what an upgrade may change.
 */
public abstract class CountingStreamlet extends FlinkStreamlet {

  /** v1's state record. */
  static final String TOTAL_V1 = """
      {"type": "record", "name": "Total", "namespace": "sensors.upgrades", "fields": [
        {"name": "sensor", "type": "string"}, {"name": "count", "type": "long"}]}""";

  final AvroInlet<SensorReading> in = AvroInlet.create("in", SensorReading.class);
  final AvroOutlet<SensorSummary> out = AvroOutlet.create("out", SensorSummary::getSensorId, SensorSummary.class);

  // the application's configuration sets it for the processor
  final DoubleConfigParameter alertThreshold = DoubleConfigParameter.create("alert-threshold", "unused here");

  private final String uid;
  private final String stateName;
  private final String schema;
  private final boolean extraStep;

  CountingStreamlet(String uid, String stateName, String schema, boolean extraStep) {
    this.uid = uid;
    this.stateName = stateName;
    this.schema = schema;
    this.extraStep = extraStep;
  }

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
            .process(new Count(schema, stateName), FlinkStreamletContext.typeInfoOf(SensorSummary.class))
            .uid(uid).name("count"));
      }
    };
  }

  /** Counts the readings of each sensor in a {@code Total} record. */
  static final class Count extends KeyedProcessFunction<String, SensorReading, SensorSummary> {

    private static final long serialVersionUID = 1L;

    private final String schemaJson;
    private final String stateName;
    private transient Schema schema;
    private transient ValueState<GenericRecord> total;

    Count(String schemaJson, String stateName) {
      this.schemaJson = schemaJson;
      this.stateName = stateName;
    }

    @Override
    public void open(OpenContext openContext) {
      schema = new Schema.Parser().parse(schemaJson);
      total = getRuntimeContext().getState(new ValueStateDescriptor<>(stateName, new GenericRecordAvroTypeInfo(schema)));
    }

    @Override
    public void processElement(SensorReading reading, Context ctx, Collector<SensorSummary> out) throws Exception {
      GenericRecord current = total.value();
      long count = current == null ? 1 : Long.parseLong(current.get("count").toString()) + 1;
      GenericRecord next = new GenericData.Record(schema);
      next.put("sensor", reading.getSensorId());
      // v2-incompatible keeps the count as a string
      next.put("count", schema.getField("count").schema().getType() == Schema.Type.STRING ? String.valueOf(count) : count);
      total.update(next);
      double value = reading.getValue();
      out.collect(new SensorSummary(reading.getSensorId(), count, value, value, value, value, false));
    }
  }

  /** Version 1. */
  public static final class V1 extends CountingStreamlet {
    /** Creates it. */
    public V1() {
      super("running-stats", "total", TOTAL_V1, false);
    }
  }

  /**
   * Version 2, compatible: a stateless step before the stateful one, a field with a default added to
   * the state record (the parallelism is changed by its run's properties).
   */
  public static final class V2 extends CountingStreamlet {
    /** Creates it. */
    public V2() {
      super("running-stats", "total", """
          {"type": "record", "name": "Total", "namespace": "sensors.upgrades", "fields": [
            {"name": "sensor", "type": "string"}, {"name": "count", "type": "long"},
            {"name": "note", "type": "string", "default": ""}]}""", true);
    }
  }

  /** Version 2 with the state operator's uid changed: v1's state is not claimed. */
  public static final class V2NewUid extends CountingStreamlet {
    /** Creates it. */
    public V2NewUid() {
      super("running-stats-v2", "total", TOTAL_V1, false);
    }
  }

  /** Version 2 with an incompatible state type: {@code count} is a string now. */
  public static final class V2IncompatibleState extends CountingStreamlet {
    /** Creates it. */
    public V2IncompatibleState() {
      super("running-stats", "total", """
          {"type": "record", "name": "Total", "namespace": "sensors.upgrades", "fields": [
            {"name": "sensor", "type": "string"}, {"name": "count", "type": "string"}]}""", false);
    }
  }

  /** Version 2 with the state descriptor renamed ({@code total} → {@code running-total}), uid kept. */
  public static final class V2RenamedState extends CountingStreamlet {
    /** Creates it. */
    public V2RenamedState() {
      super("running-stats", "running-total", TOTAL_V1, false);
    }
  }
}
