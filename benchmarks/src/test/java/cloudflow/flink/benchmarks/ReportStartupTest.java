package cloudflow.flink.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportStartupTest {

  @TempDir
  Path directory;

  @Test
  void startupRowsMeetTheirTargetsAndCompareWithTheReferencesOfTheSameRun() throws Exception {
    Report report = new Report(Options.parse());
    for (int run = 1; run <= 3; run++) {
      report.startup.add(run("startup-external-broker", run, 5000 + 100 * run, 9000 + 100 * run));
      report.startup.add(run("startup-external-broker-cds", run, 2900, 5100));
      report.startup.add(run("startup-local-mode", run, 5900 + 100 * run, 11000));
      report.startup.add(run("startup-handwritten", run, 6000 + 100 * run, 12000));
      report.startup.add(run("startup-handwritten-cds", run, 2900, 5000));
      report.startup.add(run("startup-trivial-boot", run, 2500, 5000));
    }
    // a failed run counts in neither median
    report.startup.add(new Report.StartupRun("startup-handwritten", 4, new StartupProbe.Result(-1, -1, "exited")));

    Map<String, Report.Target> targets = targets(report);
    assertEquals(5200.0 / 6200, targets.get("java -jar / the same job by hand in a Boot app, to readiness UP").value(), 1e-9);
    assertEquals(1.0, targets.get("the same, both with CDS").value(), 1e-9);
    assertEquals(5200.0 / 2500, targets.get("java -jar / a trivial Boot web + actuator jar, to readiness UP").value(), 1e-9);
    Report.Target localMode = targets.get("the same with the sample's three streamlets (local mode), s");
    assertEquals(6.1, localMode.value(), 1e-9);
    assertFalse(localMode.met());
    Report.Row plain = report.rows().stream().filter(row -> row.contender().equals("startup-external-broker")).findFirst()
        .orElseThrow();
    assertEquals(9.2, plain.startupCpuSeconds(), 1e-9);

    // the CPU time survives results.json, so that --render shows it again
    Files.writeString(directory.resolve("results.json"), report.json());
    Report read = Report.fromJson(directory.resolve("results.json"));
    assertEquals(9.2, read.rows().stream().filter(row -> row.contender().equals("startup-external-broker")).findFirst()
        .orElseThrow().startupCpuSeconds(), 1e-9);
    assertTrue(read.failures().stream().anyMatch(failure -> failure.startsWith("startup-handwritten run 4")));
  }

  @Test
  void withoutTheReferencesThereAreNoRatios() {
    Report report = new Report(Options.parse());
    report.startup.add(run("startup-external-broker", 1, 5000, 9000));
    Map<String, Report.Target> targets = targets(report);
    assertTrue(targets.containsKey("java -jar to readiness UP, external broker, s"));
    assertTrue(targets.keySet().stream().noneMatch(name -> name.contains(" / ")), targets.keySet().toString());
  }

  private static Report.StartupRun run(String name, int run, long millis, long cpuMillis) {
    return new Report.StartupRun(name, run, new StartupProbe.Result(millis, 400, null, cpuMillis));
  }

  private static Map<String, Report.Target> targets(Report report) {
    return report.targets().stream().collect(Collectors.toMap(Report.Target::name, Function.identity()));
  }
}
