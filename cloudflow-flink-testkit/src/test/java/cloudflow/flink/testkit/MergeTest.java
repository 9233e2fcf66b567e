package cloudflow.flink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testkit.data.Reading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A merge of two inlets into one outlet. */
class MergeTest {

  /** Unions both inlets; keyed by sensor id. */
  static final class Merge extends FlinkStreamlet {
    final AvroInlet<Reading> left = AvroInlet.create("left", Reading.class);
    final AvroInlet<Reading> right = AvroInlet.create("right", Reading.class);
    final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(left, right).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          writeStream(out, readStream(left).union(readStream(right)));
        }
      };
    }
  }

  @Test
  void recordsOfBothInletsArriveInOrderPerKey() {
    Merge merge = new Merge();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkInletTap<Reading> left =
        testkit.inletAsTap(merge.left, List.of(new Reading("a", 1L), new Reading("a", 2L), new Reading("a", 3L)));
    // The other inlet's tap is built from a function of the run's environment.
    FlinkInletTap<Reading> right =
        testkit.inletAsTap(
            merge.right,
            env -> env.fromData(
                List.of(new Reading("b", 10L), new Reading("b", 20L)),
                FlinkStreamletContext.typeInfoOf(Reading.class)));
    FlinkOutletTap<Reading> out = testkit.outletAsTap(merge.out);

    testkit.run(merge, List.of(left, right), List.of(out));

    // How the two inlets interleave is up to Flink; the order within each key is not.
    assertThat(out.recordsByKey())
        .containsOnly(
            Map.entry("a", List.of(new Reading("a", 1L), new Reading("a", 2L), new Reading("a", 3L))),
            Map.entry("b", List.of(new Reading("b", 10L), new Reading("b", 20L))));
    assertThat(out.keyedRecords()).hasSize(5);
  }
}
