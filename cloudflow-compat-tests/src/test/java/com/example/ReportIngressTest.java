package com.example;

import org.junit.*;
import static org.junit.Assert.*;

import java.util.*;
import cloudflow.flink.testkit.*;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs Cloudflow's tutorial {@link ReportIngress}: a streamlet with an outlet and no inlet. */
public class ReportIngressTest {

  @Test
  public void shouldWriteItsReport() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FlinkTestkit testkit = new FlinkTestkit() {};
    ReportIngress streamlet = new ReportIngress();

    FlinkOutletTap<Report> out = testkit.getOutletAsTap(streamlet.out, Report.class);
    testkit.run(streamlet, Collections.<FlinkInletTap<?>>emptyList(), Collections.singletonList(out), env);

    Report expected = new Report("abc", "test", "Just a test", Arrays.asList("ab", "bc"));
    assertEquals(Arrays.asList(expected.toString()), new ArrayList<>(TestFlinkStreamletContext.result()));
    assertEquals(Arrays.asList(expected), out.records());
  }

  @Test
  public void theSkeletonHasAnEmptyShape() {
    ReportPrinterStep0 skeleton = new ReportPrinterStep0();

    assertTrue(skeleton.shape().inlets().isEmpty());
    assertTrue(skeleton.shape().outlets().isEmpty());
  }
}
