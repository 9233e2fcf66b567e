package com.example;

import org.junit.*;
import static org.junit.Assert.*;

import org.scalatestplus.junit.JUnitSuite;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.*;
import cloudflow.flink.testkit.*;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs Cloudflow's tutorial {@link ReportPrinter}, whose lambda calls a method of its logic: the job
 * must be submitted (the logic serializes with the lambda) and print the formatted reports.
 */
public class ReportPrinterTest extends JUnitSuite {

  @Test
  public void shouldPrintTheFormattedReports() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FlinkTestkit testkit = new FlinkTestkit() {};
    ReportPrinter streamlet = new ReportPrinter();
    List<Report> reports = Arrays.asList(
        new Report("1", "first", "the first report", Arrays.asList("a")),
        new Report("2", "second", "the second report", Arrays.asList("b")));

    FlinkInletTap<Report> in = testkit.<Report>getInletAsTap(streamlet.in,
        env.<Report>addSource(FlinkSource.<Report>collectionSourceFunction(reports), TypeInformation.<Report>of(Report.class)),
        Report.class);

    // the print sink runs in this JVM (a local Flink cluster): catch what it prints
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true));
    try {
      testkit.run(streamlet, Collections.singletonList(in), Collections.<FlinkOutletTap<?>>emptyList(), env);
    } finally {
      System.setOut(stdout);
    }

    String output = printed.toString();
    assertTrue(output, output.contains("first\n\nthe first report"));
    assertTrue(output, output.contains("second\n\nthe second report"));
  }
}
