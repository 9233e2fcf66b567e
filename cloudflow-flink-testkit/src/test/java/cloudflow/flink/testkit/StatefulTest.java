package cloudflow.flink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testkit.data.Reading;
import cloudflow.flink.testkit.data.Summary;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** A stateful streamlet: keyed state carries from record to record within a run. */
class StatefulTest {

  /** Emits the running count and total of each sensor after every reading. */
  static final class RunningTotals extends FlinkStreamlet {
    final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    final AvroOutlet<Summary> out = AvroOutlet.create("out", Summary::getId, Summary.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          writeStream(
              out,
              readStream(in)
                  .keyBy(Reading::getId)
                  .process(new Totals())
                  .returns(FlinkStreamletContext.typeInfoOf(Summary.class)));
        }
      };
    }
  }

  /** Keeps the latest summary per sensor in {@link ValueState}. */
  static final class Totals extends KeyedProcessFunction<String, Reading, Summary> {
    private transient ValueState<Summary> summary;

    @Override
    public void open(OpenContext openContext) {
      summary = getRuntimeContext().getState(
          new ValueStateDescriptor<>("summary", FlinkStreamletContext.typeInfoOf(Summary.class)));
    }

    @Override
    public void processElement(Reading reading, Context context, Collector<Summary> out) throws Exception {
      Summary previous = summary.value();
      Summary next =
          previous == null
              ? new Summary(reading.getId(), 1L, reading.getValue())
              : new Summary(reading.getId(), previous.getCount() + 1, previous.getTotal() + reading.getValue());
      summary.update(next);
      out.collect(next);
    }
  }

  @Test
  void stateAccumulatesPerKeyAcrossRecords() {
    RunningTotals streamlet = new RunningTotals();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkInletTap<Reading> in =
        testkit.inletAsTap(
            streamlet.in,
            List.of(
                new Reading("s1", 10L),
                new Reading("s2", 1L),
                new Reading("s1", 20L),
                new Reading("s1", 30L),
                new Reading("s2", 2L)));
    FlinkOutletTap<Summary> out = testkit.outletAsTap(streamlet.out);

    testkit.run(streamlet, List.of(in), List.of(out));

    assertThat(out.keyedRecords())
        .containsExactly(
            new KeyedRecord<>("s1", new Summary("s1", 1L, 10L)),
            new KeyedRecord<>("s2", new Summary("s2", 1L, 1L)),
            new KeyedRecord<>("s1", new Summary("s1", 2L, 30L)),
            new KeyedRecord<>("s1", new Summary("s1", 3L, 60L)),
            new KeyedRecord<>("s2", new Summary("s2", 2L, 3L)));
    assertThat(out.recordsByKey())
        .containsExactly(
            Map.entry("s1", List.of(new Summary("s1", 1L, 10L), new Summary("s1", 2L, 30L), new Summary("s1", 3L, 60L))),
            Map.entry("s2", List.of(new Summary("s2", 1L, 1L), new Summary("s2", 2L, 3L))));
  }
}
