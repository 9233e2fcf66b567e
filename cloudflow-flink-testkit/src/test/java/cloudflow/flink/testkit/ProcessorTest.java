package cloudflow.flink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testkit.data.Reading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A processor with one inlet and one outlet, run with the testkit. */
class ProcessorTest {

  /** Multiplies each reading's value by {@code doubler.factor} (2 unless configured); keyed by sensor id. */
  static final class Doubler extends FlinkStreamlet {
    final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          long factor = config().hasPath("doubler.factor") ? config().getLong("doubler.factor") : 2;
          writeStream(out, readStream(in).map(r -> new Reading(r.getId(), r.getValue() * factor)));
        }
      };
    }
  }

  @Test
  void outletTapHasTheProcessedRecordsInOrderWithThePartitionersKeys() {
    Doubler doubler = new Doubler();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkInletTap<Reading> in =
        testkit.inletAsTap(
            doubler.in,
            List.of(new Reading("s1", 1L), new Reading("s2", 10L), new Reading("s1", 2L), new Reading("s1", 3L)));
    FlinkOutletTap<Reading> out = testkit.outletAsTap(doubler.out);

    testkit.run(doubler, List.of(in), List.of(out));

    assertThat(out.records())
        .containsExactly(new Reading("s1", 2L), new Reading("s2", 20L), new Reading("s1", 4L), new Reading("s1", 6L));
    assertThat(out.keyedRecords())
        .containsExactly(
            new KeyedRecord<>("s1", new Reading("s1", 2L)),
            new KeyedRecord<>("s2", new Reading("s2", 20L)),
            new KeyedRecord<>("s1", new Reading("s1", 4L)),
            new KeyedRecord<>("s1", new Reading("s1", 6L)));
    assertThat(out.recordsByKey())
        .containsExactly(
            Map.entry("s1", List.of(new Reading("s1", 2L), new Reading("s1", 4L), new Reading("s1", 6L))),
            Map.entry("s2", List.of(new Reading("s2", 20L))));
  }

  @Test
  void anEmptyInletGivesAnEmptyOutlet() {
    Doubler doubler = new Doubler();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkOutletTap<Reading> out = testkit.outletAsTap(doubler.out);

    testkit.run(doubler, List.of(testkit.inletAsTap(doubler.in, List.of())), List.of(out));

    assertThat(out.records()).isEmpty();
    assertThat(out.keyedRecords()).isEmpty();
  }
}
