package cloudflow.flink.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's CI mode: a broker process, 20k records, one run each of the streamlet, the
 * hand-written Flink job and the raw loop, each in its own JVM. It fails only when a contender is
 * broken (crashed, stalled, lost records), never because one is slow.
 */
class BenchmarkSmokeTest {

  @Test
  void everyContenderPassesAllRecordsThrough() throws Exception {
    Path out = Path.of("target", "smoke-results");
    Options options = Options.parse("--quick", "--records", "20000", "--out", out.toString());
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(new TeeStream(System.out, text), true, StandardCharsets.UTF_8);

    Report report = new BenchmarkMain(options, console).run();

    assertTrue(report.failures().isEmpty(), () -> "broken runs: " + report.failures() + "\n" + text);
    Set<String> contenders = report.throughput.stream().map(Report.ThroughputRun::contender).collect(Collectors.toSet());
    assertEquals(Set.of("streamlet", "flink", "raw"), contenders);
    for (Report.ThroughputRun run : report.throughput) {
      assertEquals(20_000, run.distinctIds(), run.contender() + " did not pass every record through");
      assertTrue(run.verifiedRecords() >= 20_000, run.contender() + " wrote fewer records than it read");
    }
    for (String file : List.of("results.csv", "results.json", "throughput.svg")) {
      assertTrue(Files.size(out.resolve(file)) > 0, file + " was not written");
    }
  }

  /** Writes to the console and keeps a copy for the failure message. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
