package cloudflow.flink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testkit.MergeTest.Merge;
import cloudflow.flink.testkit.ProcessorTest.Doubler;
import cloudflow.flink.testkit.data.Reading;
import cloudflow.flink.testkit.data.Summary;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.junit.jupiter.api.Test;

/** Mistakes in a test and failures of the streamlet give clear errors. */
class ErrorsTest {

  private static final List<Reading> READINGS = List.of(new Reading("s1", 1L));

  /** Fails on a negative reading. */
  static final class Strict extends FlinkStreamlet {
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
          writeStream(out, readStream(in).map(r -> {
            if (r.getValue() < 0) {
              throw new IllegalStateException("negative reading from " + r.getId());
            }
            return r;
          }));
        }
      };
    }
  }

  @Test
  void anInletTapOnAPortThatIsNotInTheShapeIsRejected() {
    Doubler doubler = new Doubler();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkInletTap<Reading> stray = testkit.inletAsTap(AvroInlet.create("readings", Reading.class), READINGS);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> testkit.run(doubler, List.of(stray), List.of()))
        .withMessageContaining("no inlet 'readings'")
        .withMessageContaining("inlets: [in], outlets: [out]");
  }

  @Test
  void anOutletTapOnAPortThatIsNotInTheShapeIsRejected() {
    Doubler doubler = new Doubler();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkOutletTap<Reading> stray = testkit.outletAsTap(AvroOutlet.create("in", Reading::getId, Reading.class));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> testkit.run(doubler, List.of(testkit.inletAsTap(doubler.in, READINGS)), List.of(stray)))
        .withMessageContaining("no outlet 'in'")
        .withMessageContaining("inlets: [in], outlets: [out]");
  }

  @Test
  void aTapWhoseRecordsDoNotMatchThePortIsRejected() {
    Doubler doubler = new Doubler();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkInletTap<Summary> wrong = testkit.inletAsTap(AvroInlet.create("in", Summary.class), List.of());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> testkit.run(doubler, List.of(wrong), List.of()))
        .withMessageContaining(Summary.class.getName())
        .withMessageContaining(Reading.class.getName());
  }

  @Test
  void twoTapsOnOnePortAreRejected() {
    Doubler doubler = new Doubler();
    FlinkTestkit testkit = new FlinkTestkit();

    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> testkit.run(
                doubler,
                List.of(testkit.inletAsTap(doubler.in, READINGS)),
                List.of(testkit.outletAsTap(doubler.out), testkit.outletAsTap(doubler.out))))
        .withMessageContaining("Two taps on outlet 'out'");
  }

  @Test
  void anInletWithoutATapIsRejected() {
    Merge merge = new Merge();
    FlinkTestkit testkit = new FlinkTestkit();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> testkit.run(merge, List.of(testkit.inletAsTap(merge.left, READINGS)), List.of()))
        .withMessageContaining("[right]")
        .withMessageContaining("have no tap");
  }

  @Test
  void anUnboundedInletTapIsRejected() {
    Doubler doubler = new Doubler();
    FlinkTestkit testkit = new FlinkTestkit();
    TypeInformation<Reading> type = FlinkStreamletContext.typeInfoOf(Reading.class);
    FlinkInletTap<Reading> endless =
        testkit.inletAsTap(
            doubler.in, env -> env.socketTextStream("localhost", 9).map(line -> new Reading(line, 0L)).returns(type));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> testkit.run(doubler, List.of(endless), List.of()))
        .withMessageContaining("Inlet tap 'in' reads the unbounded source")
        .withMessageContaining("must be bounded");
  }

  @Test
  void recordsOfATapThatHasNotRunAreAnError() {
    FlinkOutletTap<Reading> out = new FlinkTestkit().outletAsTap(new Doubler().out);

    assertThatIllegalStateException().isThrownBy(out::records).withMessageContaining("Outlet tap 'out' has no records");
  }

  @Test
  void aJobThatDoesNotFinishInTimeIsCancelledAndReported() {
    Doubler doubler = new Doubler();
    FlinkTestkit testkit = new FlinkTestkit().withTimeout(Duration.ofSeconds(2));
    TypeInformation<Reading> type = FlinkStreamletContext.typeInfoOf(Reading.class);
    List<Reading> readings = LongStream.range(0, 100).mapToObj(i -> new Reading("s1", i)).toList();
    FlinkInletTap<Reading> slow =
        testkit.inletAsTap(
            doubler.in,
            env -> env.fromData(readings, type).map(r -> {
              Thread.sleep(1_000);
              return r;
            }).returns(type));
    FlinkOutletTap<Reading> out = testkit.outletAsTap(doubler.out);

    long started = System.nanoTime();
    assertThatExceptionOfType(TestkitTimeoutException.class)
        .isThrownBy(() -> testkit.run(doubler, List.of(slow), List.of(out)))
        .withMessageContaining("Streamlet 'doubler' did not finish within 2000 ms")
        .withMessageContaining("cancelled");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    assertThatIllegalStateException().isThrownBy(out::records);
  }

  @Test
  void aFailingJobIsReportedWithItsRootCause() {
    Strict strict = new Strict();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkInletTap<Reading> in = testkit.inletAsTap(strict.in, List.of(new Reading("s1", 1L), new Reading("s7", -1L)));

    assertThatExceptionOfType(StreamletFailedException.class)
        .isThrownBy(() -> testkit.run(strict, List.of(in), List.of(testkit.outletAsTap(strict.out))))
        .withMessageContaining("Streamlet 'strict' failed")
        .withMessageContaining("negative reading from s7");
  }
}
