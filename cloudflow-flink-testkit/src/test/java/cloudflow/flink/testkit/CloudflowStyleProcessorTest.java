package cloudflow.flink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.testkit.data.Data;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** A streamlet and a test written the way Cloudflow's documentation writes them. */
class CloudflowStyleProcessorTest {

  private static final List<Data> DATA =
      IntStream.rangeClosed(1, 10).mapToObj(i -> new Data("id" + (i % 3), "name" + i)).collect(Collectors.toList());

  private static List<KeyedRecord<Data>> expected() {
    return DATA.stream()
        .map(d -> new KeyedRecord<>(d.getId(), new Data(d.getId(), d.getName().toUpperCase())))
        .toList();
  }

  @Test
  void runsWithTheTestkitsOwnEnvironment() {
    CloudflowStyleProcessor streamlet = new CloudflowStyleProcessor();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkInletTap<Data> in = testkit.inletAsTap(streamlet.in, DATA);
    FlinkOutletTap<Data> out = testkit.outletAsTap(streamlet.out);

    testkit.run(streamlet, List.of(in), List.of(out));

    assertThat(out.keyedRecords()).containsExactlyElementsOf(expected());
  }

  @Test
  void runsTheWayCloudflowsJavaTestkitWasCalled() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FlinkTestkit testkit = new FlinkTestkit() {};
    CloudflowStyleProcessor streamlet = new CloudflowStyleProcessor();
    FlinkInletTap<Data> in =
        testkit.<Data>getInletAsTap(streamlet.in, env.<Data>fromData(DATA, TypeInformation.<Data>of(Data.class)), Data.class);
    FlinkOutletTap<Data> out = testkit.getOutletAsTap(streamlet.out, Data.class);

    testkit.run(streamlet, Collections.singletonList(in), Collections.singletonList(out), env);

    // The caller's environment may run with more than one subtask, which leaves the order to Flink.
    assertThat(out.keyedRecords()).containsExactlyInAnyOrderElementsOf(expected());
  }
}
