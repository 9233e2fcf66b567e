package cloudflow.flink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testkit.data.Reading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A splitter with two outlets: each tap gets only what was written to its outlet. */
class SplitterTest {

  /** Readings with a non-negative value are valid (keyed by sensor); the others invalid (round robin). */
  static final class Validator extends FlinkStreamlet {
    final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    final AvroOutlet<Reading> valid = AvroOutlet.create("valid", Reading::getId, Reading.class);
    final AvroOutlet<Reading> invalid = AvroOutlet.create("invalid", Reading.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(valid, invalid);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          var readings = readStream(in);
          writeStream(valid, readings.filter(r -> r.getValue() >= 0));
          writeStream(invalid, readings.filter(r -> r.getValue() < 0));
        }
      };
    }
  }

  private static final List<Reading> READINGS =
      List.of(
          new Reading("s1", 5L),
          new Reading("s2", -1L),
          new Reading("s2", 7L),
          new Reading("s1", -3L),
          new Reading("s1", 0L));

  @Test
  void eachOutletTapGetsItsOwnRecordsAndKeys() {
    Validator validator = new Validator();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkOutletTap<Reading> valid = testkit.outletAsTap(validator.valid);
    FlinkOutletTap<Reading> invalid = testkit.outletAsTap(validator.invalid);

    testkit.run(validator, List.of(testkit.inletAsTap(validator.in, READINGS)), List.of(valid, invalid));

    assertThat(valid.keyedRecords())
        .containsExactly(
            new KeyedRecord<>("s1", new Reading("s1", 5L)),
            new KeyedRecord<>("s2", new Reading("s2", 7L)),
            new KeyedRecord<>("s1", new Reading("s1", 0L)));
    // An outlet without a partitioner gives no key, as round robin does on Kafka.
    assertThat(invalid.keyedRecords())
        .containsExactly(
            new KeyedRecord<>(null, new Reading("s2", -1L)), new KeyedRecord<>(null, new Reading("s1", -3L)));
  }

  @Test
  void anOutletWithoutATapIsWrittenAndDiscarded() {
    Validator validator = new Validator();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkOutletTap<Reading> invalid = testkit.outletAsTap(validator.invalid);

    testkit.run(validator, List.of(testkit.inletAsTap(validator.in, READINGS)), List.of(invalid));

    assertThat(invalid.records()).containsExactly(new Reading("s2", -1L), new Reading("s1", -3L));
  }
}
