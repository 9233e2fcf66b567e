package cloudflow.flink.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/** Every run's figures, the per-contender medians, and their renderings: table, CSV, JSON, SVG. */
final class Report {

  /** One throughput run of one contender. */
  record ThroughputRun(String contender, int run, String error, long records, double recordsPerSecond,
      double steadyRecordsPerSecond, double cpuMicrosPerRecord, double brokerCpuMicrosPerRecord,
      double totalCpuMicrosPerRecord, long firstOutputMs, long submitMs, long runningMs, long verifiedRecords,
      long distinctIds, Map<String, String> stats) {
    boolean ok() {
      return error == null;
    }

    double stat(String key) {
      try {
        return Double.parseDouble(stats.getOrDefault(key, "NaN"));
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
  }

  /** One latency run of one contender. */
  record LatencyRun(String contender, int run, String error, LatencyProbe.Result result) {
    boolean ok() {
      return error == null;
    }
  }

  /** One startup measurement. */
  record StartupRun(String contender, int run, StartupProbe.Result result) {
    boolean ok() {
      return result.ok();
    }
  }

  /** A row of the table: medians over the contender's successful runs (NaN where not measured). */
  record Row(String contender, String description, double recordsPerSecond, double steadyRecordsPerSecond,
      double ratioToFlink, double ratioToRaw, double cpuMicrosPerRecord, double brokerCpuMicrosPerRecord, double p50Ms, double p99Ms, double heapPeakMb, double rssPeakMb,
      double gcPercent, double startupSeconds, double startupCpuSeconds, int okRuns, int runs) {}

  final Options options;
  final Map<String, String> environment = new LinkedHashMap<>();
  final Map<String, String> descriptions = new LinkedHashMap<>();
  final List<ThroughputRun> throughput = new ArrayList<>();
  final List<LatencyRun> latency = new ArrayList<>();
  final List<StartupRun> startup = new ArrayList<>();

  Report(Options options) {
    this.options = options;
  }

  /** Failed runs: a broken contender (lost records, a crash, a stall), never a slow one. */
  List<String> failures() {
    List<String> failures = new ArrayList<>();
    throughput.stream().filter(r -> !r.ok())
        .forEach(r -> failures.add(r.contender() + " run " + r.run() + ": " + r.error()));
    latency.stream().filter(r -> !r.ok())
        .forEach(r -> failures.add(r.contender() + " latency run " + r.run() + ": " + r.error()));
    startup.stream().filter(r -> !r.ok())
        .forEach(r -> failures.add(r.contender() + " run " + r.run() + ": " + r.result().error()));
    return failures;
  }

  List<Row> rows() {
    List<String> names = new ArrayList<>();
    throughput.forEach(r -> addOnce(names, r.contender()));
    latency.forEach(r -> addOnce(names, r.contender()));
    startup.forEach(r -> addOnce(names, r.contender()));
    double flink = median(okThroughput("flink"), ThroughputRun::recordsPerSecond);
    double raw = median(okThroughput("raw"), ThroughputRun::recordsPerSecond);
    List<Row> rows = new ArrayList<>();
    for (String name : names) {
      List<ThroughputRun> runs = okThroughput(name);
      List<LatencyRun> latencies = latency.stream().filter(r -> r.contender().equals(name) && r.ok()).toList();
      List<StartupRun> startups = startup.stream().filter(r -> r.contender().equals(name) && r.ok()).toList();
      double rate = median(runs, ThroughputRun::recordsPerSecond);
      double startupSeconds = !startups.isEmpty()
          ? median(startups, r -> r.result().millis() / 1000.0)
          : median(runs, r -> r.runningMs() / 1000.0);
      double rss = !startups.isEmpty()
          ? median(startups, r -> r.result().rssPeakMb())
          : median(runs, r -> r.stat("rssPeakMb"));
      int all = (int) (throughput.stream().filter(r -> r.contender().equals(name)).count()
          + latency.stream().filter(r -> r.contender().equals(name)).count()
          + startup.stream().filter(r -> r.contender().equals(name)).count());
      int ok = runs.size() + latencies.size() + startups.size();
      rows.add(new Row(name, descriptions.getOrDefault(name, ""), rate,
          median(runs, ThroughputRun::steadyRecordsPerSecond), rate / flink, rate / raw,
          median(runs, ThroughputRun::cpuMicrosPerRecord), median(runs, ThroughputRun::brokerCpuMicrosPerRecord),
          median(latencies, r -> r.result().p50()), median(latencies, r -> r.result().p99()),
          median(runs, r -> r.stat("heapPeakMb")), rss, median(runs, r -> 100 * r.stat("gcShare")),
          startupSeconds, median(startups, r -> r.result().cpuMillis() / 1000.0), ok, all));
    }
    return rows;
  }

  private List<ThroughputRun> okThroughput(String name) {
    return throughput.stream().filter(r -> r.contender().equals(name) && r.ok()).toList();
  }

  private static void addOnce(List<String> names, String name) {
    if (!names.contains(name)) {
      names.add(name);
    }
  }

  static <T> double median(Collection<T> items, ToDoubleFunction<T> value) {
    double[] values = items.stream().mapToDouble(value).filter(v -> !Double.isNaN(v) && v >= 0).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** One of the targets and how this run compares (informational: speed never fails a run). */
  record Target(String name, double value, String goal, boolean met) {}

  /** The targets the measured contenders allow to compute. */
  List<Target> targets() {
    Map<String, Row> rows = new LinkedHashMap<>();
    rows().forEach(row -> rows.put(row.contender(), row));
    List<Target> targets = new ArrayList<>();
    Row streamlet = rows.get("streamlet");
    if (streamlet != null && rows.containsKey("flink")) {
      targets.add(new Target("streamlet / hand-written Flink job (same client settings), records/s", streamlet.ratioToFlink(), ">= 0.97",
          streamlet.ratioToFlink() >= 0.97));
    }
    if (streamlet != null && rows.containsKey("raw")) {
      targets.add(new Target("streamlet / raw Kafka loop (same client settings), records/s", streamlet.ratioToRaw(), ">= 0.85",
          streamlet.ratioToRaw() >= 0.85));
    }
    // the same ratios from CPU time per record (contender + broker): what a dedicated machine would allow,
    // nearly independent of other load on the machine
    Row raw = rows.get("raw");
    Row flink = rows.get("flink");
    if (streamlet != null && flink != null && !Double.isNaN(cpu(streamlet)) && !Double.isNaN(cpu(flink))) {
      double ratio = cpu(flink) / cpu(streamlet);
      targets.add(new Target("streamlet / hand-written Flink job, by CPU per record", ratio, ">= 0.97", ratio >= 0.97));
    }
    if (streamlet != null && raw != null && !Double.isNaN(cpu(streamlet)) && !Double.isNaN(cpu(raw))) {
      double ratio = cpu(raw) / cpu(streamlet);
      targets.add(new Target("streamlet / raw Kafka loop, by CPU per record", ratio, ">= 0.85", ratio >= 0.85));
    }
    Row exactlyOnce = rows.get("streamlet-exactly-once");
    if (streamlet != null && exactlyOnce != null) {
      double ratio = exactlyOnce.recordsPerSecond() / streamlet.recordsPerSecond();
      targets.add(new Target("streamlet exactly-once / at-least-once, records/s", ratio, ">= 0.90", ratio >= 0.90));
    }
    Row external = rows.get("startup-external-broker");
    if (external != null) {
      targets.add(new Target("java -jar to readiness UP, external broker, s", external.startupSeconds(), "<= 4",
          external.startupSeconds() <= 4));
    }
    Row localMode = rows.get("startup-local-mode");
    if (localMode != null) {
      targets.add(new Target("the same with the sample's three streamlets (local mode), s", localMode.startupSeconds(),
          "<= 6", localMode.startupSeconds() <= 6));
    }
    Row externalCds = rows.get("startup-external-broker-cds");
    if (externalCds != null) {
      targets.add(new Target("the same, extracted jar + CDS archive, s", externalCds.startupSeconds(), "<= 2.5",
          externalCds.startupSeconds() <= 2.5));
    }
    // the same start against the same job written by hand, and against any Boot jar, in the same run: the
    // machine's speed changes by the hour, a ratio taken side by side does not
    Row handwritten = rows.get("startup-handwritten");
    if (external != null && handwritten != null) {
      targets.add(new Target("java -jar / the same job by hand in a Boot app, to readiness UP",
          external.startupSeconds() / handwritten.startupSeconds(), "reported", true));
    }
    Row handwrittenCds = rows.get("startup-handwritten-cds");
    if (externalCds != null && handwrittenCds != null) {
      targets.add(new Target("the same, both with CDS", externalCds.startupSeconds() / handwrittenCds.startupSeconds(),
          "reported", true));
    }
    Row trivialBoot = rows.get("startup-trivial-boot");
    if (external != null && trivialBoot != null) {
      targets.add(new Target("java -jar / a trivial Boot web + actuator jar, to readiness UP",
          external.startupSeconds() / trivialBoot.startupSeconds(), "reported", true));
    }
    Row embedded = rows.get("startup-embedded-broker");
    if (embedded != null) {
      targets.add(new Target("java -jar to readiness UP, embedded broker, s", embedded.startupSeconds(), "reported", true));
    }
    Row heap = rows.get("heap");
    if (heap != null) {
      boolean completed = heap.okRuns() == heap.runs() && heap.runs() > 0;
      targets.add(new Target("streamlet at -Xmx" + options.heapXmx + ": GC time %, all runs completed",
          heap.gcPercent(), "completes, GC < 10 %", completed && heap.gcPercent() < 10));
    }
    return targets;
  }

  /** Contender plus broker CPU microseconds per record. */
  private static double cpu(Row row) {
    return row.cpuMicrosPerRecord() + row.brokerCpuMicrosPerRecord();
  }

  String targetsText() {
    StringBuilder text = new StringBuilder();
    for (Target target : targets()) {
      text.append(String.format(Locale.ROOT, "  %-68s %8s  target %-22s %s%n", target.name(), number(target.value(), 2),
          target.goal(), target.goal().equals("reported") ? "" : target.met() ? "met" : "NOT MET"));
    }
    // the same ratios run by run: a round's contenders run one after the other on the same broker, so a
    // round's ratio is less exposed to the broker's state than a ratio of medians taken from different rounds
    String[][] pairs = {{"streamlet", "flink"}, {"streamlet", "raw"}, {"streamlet-exactly-once", "streamlet"}};
    for (String[] pair : pairs) {
      List<Double> ratios = roundRatios(pair[0], pair[1]);
      if (ratios.size() > 1) {
        text.append(String.format(Locale.ROOT, "  %-68s %s%n", pair[0] + " / " + pair[1] + ", records/s, round by round",
            String.join(", ", ratios.stream().map(ratio -> number(ratio, 2)).toList())));
      }
    }
    return text.toString();
  }

  /** {@code numerator}'s records/s over {@code denominator}'s in each round where both ran without error. */
  List<Double> roundRatios(String numerator, String denominator) {
    List<Double> ratios = new ArrayList<>();
    for (ThroughputRun run : okThroughput(numerator)) {
      okThroughput(denominator).stream().filter(other -> other.run() == run.run()).findFirst()
          .ifPresent(other -> ratios.add(run.recordsPerSecond() / other.recordsPerSecond()));
    }
    return ratios;
  }

  // ---- renderings ----

  private static final String[] HEADER = {"contender", "records/s", "steady rec/s", "x flink", "x raw",
      "CPU µs/rec", "broker µs/rec", "p50 ms",
      "p99 ms", "peak heap MB", "peak RSS MB", "GC %", "startup s", "startup CPU s", "ok runs"};

  private static List<String> cells(Row row) {
    return List.of(row.contender(), number(row.recordsPerSecond(), 0), number(row.steadyRecordsPerSecond(), 0),
        number(row.ratioToFlink(), 2), number(row.ratioToRaw(), 2), number(row.cpuMicrosPerRecord(), 2),
        number(row.brokerCpuMicrosPerRecord(), 2), number(row.p50Ms(), 1), number(row.p99Ms(), 1),
        number(row.heapPeakMb(), 0), number(row.rssPeakMb(), 0), number(row.gcPercent(), 1),
        number(row.startupSeconds(), 2), number(row.startupCpuSeconds(), 1), row.okRuns() + "/" + row.runs());
  }

  String table() {
    List<List<String>> lines = new ArrayList<>();
    lines.add(List.of(HEADER));
    rows().forEach(row -> lines.add(cells(row)));
    int[] widths = new int[HEADER.length];
    for (List<String> line : lines) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (int l = 0; l < lines.size(); l++) {
      List<String> line = lines.get(l);
      text.append('|');
      for (int i = 0; i < line.size(); i++) {
        String cell = line.get(i);
        text.append(' ').append(i == 0 ? pad(cell, widths[i], false) : pad(cell, widths[i], true)).append(" |");
      }
      text.append('\n');
      if (l == 0) {
        text.append('|');
        for (int i = 0; i < widths.length; i++) {
          text.append(i == 0 ? "-" + "-".repeat(widths[i]) + "-|" : "-" + "-".repeat(widths[i]) + ":|");
        }
        text.append('\n');
      }
    }
    return text.toString();
  }

  String csv() {
    StringBuilder text = new StringBuilder("contender,records_per_s,steady_records_per_s,ratio_to_flink,ratio_to_raw,"
        + "cpu_us_per_record,broker_cpu_us_per_record,p50_ms,p99_ms,peak_heap_mb,peak_rss_mb,gc_percent,startup_s,startup_cpu_s,ok_runs,runs,description\n");
    for (Row row : rows()) {
      text.append(String.join(",", row.contender(), csvNumber(row.recordsPerSecond(), 0),
          csvNumber(row.steadyRecordsPerSecond(), 0), csvNumber(row.ratioToFlink(), 3), csvNumber(row.ratioToRaw(), 3),
          csvNumber(row.cpuMicrosPerRecord(), 3), csvNumber(row.brokerCpuMicrosPerRecord(), 3),
          csvNumber(row.p50Ms(), 2), csvNumber(row.p99Ms(), 2), csvNumber(row.heapPeakMb(), 0),
          csvNumber(row.rssPeakMb(), 0), csvNumber(row.gcPercent(), 2), csvNumber(row.startupSeconds(), 2),
          csvNumber(row.startupCpuSeconds(), 2), String.valueOf(row.okRuns()), String.valueOf(row.runs()), '"' + row.description().replace("\"", "'") + '"'));
      text.append('\n');
    }
    return text.toString();
  }

  String json() {
    Json json = new Json();
    json.open('{');
    json.key("options").open('{');
    json.field("records", options.records).field("runs", options.runs).field("parallelism", options.parallelism)
        .field("latencyRate", options.rate).field("latencySeconds", options.latencySeconds)
        .field("warmupSeconds", options.warmupSeconds).field("checkpointInterval", options.checkpointInterval)
        .field("xmx", options.xmx).field("heapXmx", options.heapXmx);
    json.key("globalSettings").open('{');
    options.globalSettings.forEach(json::field);
    json.close('}');
    json.close('}');
    json.key("environment").open('{');
    environment.forEach(json::field);
    json.close('}');
    json.key("summary").open('[');
    for (Row row : rows()) {
      json.open('{').field("contender", row.contender()).field("description", row.description())
          .field("recordsPerSecond", row.recordsPerSecond()).field("steadyRecordsPerSecond", row.steadyRecordsPerSecond())
          .field("ratioToFlink", row.ratioToFlink()).field("ratioToRaw", row.ratioToRaw())
          .field("cpuMicrosPerRecord", row.cpuMicrosPerRecord())
          .field("brokerCpuMicrosPerRecord", row.brokerCpuMicrosPerRecord())
          .field("p50Ms", row.p50Ms()).field("p99Ms", row.p99Ms()).field("peakHeapMb", row.heapPeakMb())
          .field("peakRssMb", row.rssPeakMb()).field("gcPercent", row.gcPercent())
          .field("startupSeconds", row.startupSeconds()).field("startupCpuSeconds", row.startupCpuSeconds())
          .field("okRuns", row.okRuns()).field("runs", row.runs())
          .close('}');
    }
    json.close(']');
    json.key("targets").open('[');
    for (Target target : targets()) {
      json.open('{').field("name", target.name()).field("value", target.value()).field("goal", target.goal())
          .field("met", target.met()).close('}');
    }
    json.close(']');
    json.key("throughputRuns").open('[');
    for (ThroughputRun r : throughput) {
      json.open('{').field("contender", r.contender()).field("run", r.run()).field("ok", r.ok())
          .field("error", r.error()).field("records", r.records()).field("recordsPerSecond", r.recordsPerSecond())
          .field("steadyRecordsPerSecond", r.steadyRecordsPerSecond())
          .field("cpuMicrosPerRecord", r.cpuMicrosPerRecord()).field("brokerCpuMicrosPerRecord", r.brokerCpuMicrosPerRecord())
          .field("runCpuMicrosPerRecord", r.totalCpuMicrosPerRecord()).field("firstOutputMs", r.firstOutputMs())
          .field("launchToSubmittedMs", r.submitMs()).field("launchToRunningMs", r.runningMs())
          .field("verifiedRecords", r.verifiedRecords()).field("distinctIds", r.distinctIds());
      json.key("stats").open('{');
      r.stats().forEach(json::field);
      json.close('}');
      json.close('}');
    }
    json.close(']');
    json.key("latencyRuns").open('[');
    for (LatencyRun r : latency) {
      json.open('{').field("contender", r.contender()).field("run", r.run()).field("ok", r.ok()).field("error", r.error());
      if (r.result() != null) {
        json.field("measured", r.result().measured()).field("missing", r.result().missing())
            .field("p50Ms", r.result().p50()).field("p99Ms", r.result().p99()).field("p999Ms", r.result().p999())
            .field("maxMs", r.result().max());
        json.key("p99PerSecondMs").open('[');
        for (double v : r.result().p99PerSecond()) {
          json.value(v);
        }
        json.close(']');
      }
      json.close('}');
    }
    json.close(']');
    json.key("startupRuns").open('[');
    for (StartupRun r : startup) {
      json.open('{').field("contender", r.contender()).field("run", r.run()).field("ok", r.ok())
          .field("error", r.result().error()).field("millisToReady", r.result().millis())
          .field("peakRssMb", r.result().rssPeakMb()).field("cpuMillisToReady", r.result().cpuMillis()).close('}');
    }
    json.close(']');
    json.close('}');
    return json.toString();
  }

  /** A horizontal bar chart of the median records/s, with the ratios and latencies as labels. */
  String svg() {
    List<Row> bars = rows().stream().filter(r -> !Double.isNaN(r.recordsPerSecond())).toList();
    double max = bars.stream().mapToDouble(Row::recordsPerSecond).max().orElse(1);
    int left = 210;
    int barArea = 340;
    int detailsX = left + barArea + 110;
    int width = 1000;
    int rowHeight = 32;
    int top = 70;
    List<String> startupLines = new ArrayList<>();
    for (Row row : rows()) {
      if (row.contender().startsWith("startup") && !Double.isNaN(row.startupSeconds())) {
        startupLines.add(String.format(Locale.ROOT, "%s: %.1f s", row.contender(), row.startupSeconds()));
      }
    }
    int height = top + bars.size() * rowHeight + 30 + (startupLines.isEmpty() ? 0 : 24 + 18 * ((startupLines.size() + 1) / 2));
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n");
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append("<text x=\"20\" y=\"26\" font-size=\"16\" font-weight=\"bold\">")
        .append(escape("Pass-through Avro → Avro over Kafka: records/s, median of " + options.runs + " runs")).append("</text>\n");
    svg.append("<text x=\"20\" y=\"46\" fill=\"#555\">").append(escape(String.format(Locale.ROOT,
        "%,d records, parallelism %d, checkpoints every %s, -Xmx%s; %s; load average %s → %s",
        options.records, options.parallelism,
        options.checkpointInterval.equals("default") ? "10 s, 1 s exactly-once (starter defaults)" : options.checkpointInterval, options.xmx,
        environment.getOrDefault("machine", ""), environment.getOrDefault("loadBefore", "?").split(" ")[0],
        environment.getOrDefault("loadAfter", "?").split(" ")[0]))).append("</text>\n");
    svg.append("<text x=\"").append(detailsX).append("\" y=\"").append(top - 6)
        .append("\" fill=\"#555\">vs flink · vs raw · CPU µs/record (+broker) · latency p50/p99</text>\n");
    for (int i = 0; i < bars.size(); i++) {
      Row row = bars.get(i);
      int y = top + i * rowHeight;
      int length = (int) Math.max(1, Math.round(barArea * row.recordsPerSecond() / max));
      String color = switch (row.contender()) {
        case "flink", "flink-exactly-once" -> "#8c8c8c";
        case "raw" -> "#c9c9c9";
        default -> row.contender().contains("tuned") ? "#6aa84f" : "#2f6db5";
      };
      svg.append("<text x=\"").append(left - 8).append("\" y=\"").append(y + 17)
          .append("\" text-anchor=\"end\">").append(escape(row.contender())).append("</text>\n");
      svg.append("<rect x=\"").append(left).append("\" y=\"").append(y + 3).append("\" width=\"").append(length)
          .append("\" height=\"20\" fill=\"").append(color).append("\"/>\n");
      svg.append("<text x=\"").append(left + length + 6).append("\" y=\"").append(y + 18).append("\">")
          .append(escape(String.format(Locale.ROOT, "%,.0f", row.recordsPerSecond()))).append("</text>\n");
      List<String> details = new ArrayList<>();
      details.add(Double.isNaN(row.ratioToFlink()) ? "-" : String.format(Locale.ROOT, "%.2f×", row.ratioToFlink()));
      details.add(Double.isNaN(row.ratioToRaw()) ? "-" : String.format(Locale.ROOT, "%.2f×", row.ratioToRaw()));
      details.add(Double.isNaN(row.cpuMicrosPerRecord()) ? "-"
          : String.format(Locale.ROOT, "%.2f (+%.2f)", row.cpuMicrosPerRecord(), row.brokerCpuMicrosPerRecord()));
      details.add(Double.isNaN(row.p50Ms()) ? "-" : String.format(Locale.ROOT, "%.0f/%.0f ms", row.p50Ms(), row.p99Ms()));
      svg.append("<text x=\"").append(detailsX).append("\" y=\"").append(y + 18).append("\" fill=\"#333\">")
          .append(escape(String.join(" · ", details))).append("</text>\n");
    }
    int y = top + bars.size() * rowHeight + 24;
    if (!startupLines.isEmpty()) {
      svg.append("<text x=\"20\" y=\"").append(y).append("\" font-weight=\"bold\">")
          .append(escape("java -jar sample-app.jar --streamlet=processor to readiness UP (median)")).append("</text>\n");
      for (int i = 0; i < startupLines.size(); i++) {
        svg.append("<text x=\"").append(i % 2 == 0 ? 20 : 480).append("\" y=\"").append(y + 20 + 18 * (i / 2))
            .append("\" fill=\"#333\">").append(escape(startupLines.get(i))).append("</text>\n");
      }
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /**
   * Reads a report back from its {@code results.json}, so that the table, CSV and chart can be
   * rendered again ({@code --render}) without running anything.
   */
  static Report fromJson(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    JsonNode o = root.path("options");
    Options options = new Options();
    options.records = o.path("records").asLong();
    options.runs = o.path("runs").asInt();
    options.parallelism = o.path("parallelism").asInt();
    options.rate = o.path("latencyRate").asInt();
    options.latencySeconds = o.path("latencySeconds").asInt();
    options.warmupSeconds = o.path("warmupSeconds").asInt();
    options.checkpointInterval = o.path("checkpointInterval").asText();
    options.xmx = o.path("xmx").asText();
    options.heapXmx = o.path("heapXmx").asText();
    o.path("globalSettings").fields().forEachRemaining(e -> options.globalSettings.put(e.getKey(), e.getValue().asText()));
    Report report = new Report(options);
    root.path("environment").fields().forEachRemaining(e -> report.environment.put(e.getKey(), e.getValue().asText()));
    for (JsonNode row : root.path("summary")) {
      report.descriptions.put(row.path("contender").asText(), row.path("description").asText());
    }
    for (JsonNode r : root.path("throughputRuns")) {
      Map<String, String> stats = new LinkedHashMap<>();
      r.path("stats").fields().forEachRemaining(e -> stats.put(e.getKey(), e.getValue().asText()));
      report.throughput.add(new ThroughputRun(r.path("contender").asText(), r.path("run").asInt(), text(r, "error"),
          r.path("records").asLong(), number(r, "recordsPerSecond"), number(r, "steadyRecordsPerSecond"),
          number(r, "cpuMicrosPerRecord"), number(r, "brokerCpuMicrosPerRecord"), number(r, "runCpuMicrosPerRecord"),
          r.path("firstOutputMs").asLong(), r.path("launchToSubmittedMs").asLong(), r.path("launchToRunningMs").asLong(),
          r.path("verifiedRecords").asLong(), r.path("distinctIds").asLong(), stats));
    }
    for (JsonNode r : root.path("latencyRuns")) {
      LatencyProbe.Result result = null;
      if (r.has("p50Ms")) {
        double[] perSecond = new double[r.path("p99PerSecondMs").size()];
        for (int i = 0; i < perSecond.length; i++) {
          JsonNode v = r.path("p99PerSecondMs").get(i);
          perSecond[i] = v.isNull() ? Double.NaN : v.asDouble();
        }
        result = new LatencyProbe.Result(r.path("measured").asLong(), r.path("missing").asLong(), number(r, "p50Ms"),
            number(r, "p99Ms"), number(r, "p999Ms"), number(r, "maxMs"), perSecond);
      }
      report.latency.add(new LatencyRun(r.path("contender").asText(), r.path("run").asInt(), text(r, "error"), result));
    }
    for (JsonNode r : root.path("startupRuns")) {
      report.startup.add(new StartupRun(r.path("contender").asText(), r.path("run").asInt(), new StartupProbe.Result(
          r.path("millisToReady").asLong(), r.path("peakRssMb").asLong(), text(r, "error"),
          r.path("cpuMillisToReady").asLong(-1))));
    }
    return report;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static double number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Double.NaN : value.asDouble();
  }

  void write(Path directory) throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve("results.csv"), csv(), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve("results.json"), json(), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve("throughput.svg"), svg(), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve("results.md"), table() + "\nTargets:\n" + targetsText(), StandardCharsets.UTF_8);
  }

  private static String number(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "-";
    }
    return decimals == 0 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  private static String csvNumber(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  private static String pad(String text, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - text.length()));
    return right ? fill + text : text + fill;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Just enough JSON writing for the report. */
  static final class Json {
    private final StringBuilder text = new StringBuilder();
    private boolean needsComma;
    private int depth;

    Json open(char bracket) {
      comma();
      text.append(bracket);
      depth++;
      needsComma = false;
      return this;
    }

    Json close(char bracket) {
      depth--;
      newline();
      text.append(bracket);
      needsComma = true;
      return this;
    }

    Json key(String key) {
      comma();
      text.append(quote(key)).append(": ");
      needsComma = false;
      return this;
    }

    Json field(String key, Object value) {
      key(key);
      if (value == null) {
        text.append("null");
      } else if (value instanceof Double d) {
        text.append(Double.isNaN(d) || Double.isInfinite(d) ? "null" : String.format(Locale.ROOT, "%.4f", d));
      } else if (value instanceof Number || value instanceof Boolean) {
        text.append(value);
      } else {
        String s = value.toString();
        text.append(s.matches("-?(0|[1-9]\\d*)(\\.\\d+)?") ? s : quote(s));
      }
      needsComma = true;
      return this;
    }

    Json value(double value) {
      comma();
      text.append(Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.2f", value));
      needsComma = true;
      return this;
    }

    private void comma() {
      if (needsComma) {
        text.append(',');
      }
      if (depth > 0) {
        newline();
      }
    }

    private void newline() {
      text.append('\n').append("  ".repeat(Math.max(0, depth)));
    }

    private static String quote(String s) {
      StringBuilder q = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> q.append("\\\"");
          case '\\' -> q.append("\\\\");
          case '\n' -> q.append("\\n");
          case '\t' -> q.append("\\t");
          case '\r' -> q.append("\\r");
          default -> {
            if (c < 0x20) {
              q.append(String.format("\\u%04x", (int) c));
            } else {
              q.append(c);
            }
          }
        }
      }
      return q.append('"').toString();
    }

    @Override
    public String toString() {
      return text.append('\n').toString();
    }
  }
}
