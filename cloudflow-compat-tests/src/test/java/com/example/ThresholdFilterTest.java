package com.example;

import org.junit.*;
import static org.junit.Assert.*;

import java.util.*;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import cloudflow.flink.testkit.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Tests {@link ThresholdFilter} as a Cloudflow Java test would: config parameter values from an
 * overridden {@code config()} under {@code cloudflow.streamlets.testFlinkStreamlet}, the streamlet's
 * name in Cloudflow's testkit, and the shared result queue.
 */
public class ThresholdFilterTest {

  private static List<Data> data() {
    return IntStream.rangeClosed(1, 6).boxed().map((Integer i) -> new Data(i, "name" + i)).collect(Collectors.toList());
  }

  @Test
  public void shouldPassRecordsFromTheThresholdOnRenamedByItsLogic() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FlinkTestkit testkit = new FlinkTestkit() {
      @Override public Config config() {
        return ConfigFactory.parseString(
            "cloudflow.streamlets.testFlinkStreamlet { threshold = 5, prefix = \"x-\" }");
      }
    };
    ThresholdFilter streamlet = new ThresholdFilter();

    FlinkInletTap<Data> in = testkit.<Data>getInletAsTap(streamlet.in,
        env.<Data>addSource(FlinkSource.<Data>collectionSourceFunction(data()), TypeInformation.<Data>of(Data.class)),
        Data.class);
    FlinkOutletTap<Data> out = testkit.getOutletAsTap(streamlet.out, Data.class);

    testkit.run(streamlet, Collections.singletonList(in), Collections.singletonList(out), env);

    // defaults from the HOCON strings "5 minutes" and "512M"; the testkit runs it as "threshold-filter"
    List<String> expected = Arrays.asList(
        new Data(5, "x-name5@threshold-filter/5m/512M").toString(),
        new Data(6, "x-name6@threshold-filter/5m/512M").toString());
    List<String> result = new ArrayList<>(TestFlinkStreamletContext.result());
    Collections.sort(result);
    assertEquals(expected, result);
  }

  @Test
  public void parametersSetTheNewWayWinAndTheTypedTapKeepsKeysAndOrder() {
    ThresholdFilter streamlet = new ThresholdFilter();
    FlinkTestkit testkit = new FlinkTestkit()
        .withStreamletRef("filter")
        .withConfigParameterValue("threshold", 6)
        .withConfigParameterValue("window", "2 minutes")
        .withConfigParameterValue("buffer", "1G");
    FlinkOutletTap<Data> out = testkit.outletAsTap(streamlet.out);

    testkit.run(streamlet, List.of(testkit.inletAsTap(streamlet.in, data())), List.of(out));

    assertEquals(List.of(new KeyedRecord<>("6", new Data(6, "name6@filter/2m/1024M"))), out.keyedRecords());
  }

  @Test
  public void aMissingRequiredParameterStopsTheRunWithItsName() {
    ThresholdFilter streamlet = new ThresholdFilter();
    FlinkTestkit testkit = new FlinkTestkit();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> testkit.run(streamlet, List.of(testkit.inletAsTap(streamlet.in, data())), List.of()));
    assertTrue(e.getMessage(), e.getMessage().contains("threshold"));
  }
}
