package cloudflow.flink.benchmarks;

import cloudflow.flink.benchmarks.OutputTopic.Sample;
import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Runs the benchmark: one Kafka broker in its own JVM, N preloaded records, then each contender in
 * its own JVM on the same input with the same parallelism, interleaved over several runs, and the
 * medians printed and written as CSV, JSON and an SVG bar chart. See {@link Options#USAGE}.
 *
 * <p>Exit code 0 when every run processed all its records, 1 when a run was broken (lost records, a
 * crash, no progress for the stall timeout), 2 on bad options. Speed never fails a run.
 */
public final class BenchmarkMain {

  private static final String INPUT_TOPIC = "bench-input";
  private static final long SAMPLE_MILLIS = 25;

  private final Options options;
  private final PrintStream out;
  private final Report report;
  private final Map<String, Contender> contenders = new LinkedHashMap<>();
  private final String nonce = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
  private Path workDirectory;
  private Path brokerDirectory;
  private String bootstrap;
  private long brokerPid = -1;

  BenchmarkMain(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.report = new Report(options);
    contenders.putAll(Contender.builtIns(options.heapXmx));
    for (String variant : options.variants) {
      Contender contender = Contender.variant(variant, contenders);
      contenders.put(contender.name(), contender);
    }
    for (String name : concat(options.contenders, options.latency)) {
      if (!contenders.containsKey(name)) {
        throw new IllegalArgumentException("Unknown contender '" + name + "'; known: " + contenders.keySet());
      }
      report.descriptions.put(name, contenders.get(name).description());
    }
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.print(Options.USAGE);
      return;
    }
    if (options.render != null) {
      try {
        Report report = Report.fromJson(options.render);
        report.write(options.out);
        System.out.print(report.table());
        System.out.println();
        System.out.print(report.targetsText());
        System.out.println("written: " + options.out.resolve("results.csv") + ", results.json, results.md, throughput.svg");
        return;
      } catch (IOException e) {
        System.err.println("Cannot render " + options.render + ": " + e);
        System.exit(2);
      }
    }
    try {
      Report report = new BenchmarkMain(options, System.out).run();
      List<String> failures = report.failures();
      if (!failures.isEmpty()) {
        System.out.println("\nBROKEN RUNS:");
        failures.forEach(f -> System.out.println("  " + f));
        System.exit(1);
      }
      System.exit(0);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** Runs everything the options ask for and writes the results; returns the report. */
  Report run() throws Exception {
    workDirectory = Files.createTempDirectory("cloudflow-benchmarks-");
    Path logs = options.out.resolve("logs");
    Files.createDirectories(logs);
    environment("loadBefore");
    log("work directory " + workDirectory + ", results in " + options.out.toAbsolutePath());
    KafkaBrokerProcess broker = null;
    try {
      if (options.bootstrap != null) {
        bootstrap = options.bootstrap;
      } else {
        long start = System.nanoTime();
        brokerDirectory = brokerDirectory();
        report.environment.put("brokerData", brokerDirectory.toString());
        broker = new KafkaBrokerProcess(brokerDirectory)
            .withClasspath(Jvm.classpath())
            .withPartitions(options.parallelism)
            // a run's output topic is deleted after the run: its files go a second later, not a minute
            .withBrokerProperty("file.delete.delay.ms", "1000")
            .start();
        bootstrap = broker.bootstrapServers();
        brokerPid = broker.pid().orElse(-1L);
        log("broker (pid " + broker.pid().orElse(-1L) + ") at " + bootstrap + " in " + millisSince(start) + " ms, data in "
            + brokerDirectory);
      }
      recreateTopic(INPUT_TOPIC);
      long start = System.nanoTime();
      Records.preload(bootstrap, INPUT_TOPIC, options.records);
      log(String.format(Locale.ROOT, "preloaded %,d records into %s in %d ms", options.records, INPUT_TOPIC, millisSince(start)));

      if (options.warmupRound) {
        // not counted: in the first quiet run (30 November 2026) the broker's CPU per record fell from 1.7 µs in
        // run 1 to 0.4 µs in run 3, which weighed on whichever contender came first. One warm-up run of the raw
        // loop left the next run 0.3-0.5 µs per record above that; a run of each contender also takes the broker
        // through each kind of client (read-committed fetches, transactions) before anything is counted.
        log("warm-up (not counted): one run of each contender");
        for (String name : options.contenders) {
          throughputRun(contenders.get(name), 0);
        }
      }
      for (int run = 1; run <= options.runs; run++) {
        for (String name : rotate(options.contenders, run - 1)) {
          report.throughput.add(throughputRun(contenders.get(name), run));
        }
        for (String name : rotate(options.latency, run - 1)) {
          report.latency.add(latencyRun(contenders.get(name), run));
        }
        if (options.startup && run <= options.startupRuns()) {
          startupRound(run);
        }
      }
      for (int run = options.runs + 1; options.startup && run <= options.startupRuns(); run++) {
        startupRound(run);
      }
    } finally {
      environment("loadAfter");
      if (broker != null) {
        broker.close();
        try {
          Files.copy(broker.logFile(), logs.resolve("broker.log"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          // the broker log is a convenience
        }
      }
      deleteRecursively(workDirectory);
      if (brokerDirectory != null && !brokerDirectory.startsWith(workDirectory)) {
        deleteRecursively(brokerDirectory);
      }
    }
    report.write(options.out);
    out.println();
    out.print(report.table());
    out.println();
    out.println("Targets (medians; informational, speed never fails a run):");
    out.print(report.targetsText());
    out.println();
    out.println("load average before/after: " + report.environment.get("loadBefore") + " / " + report.environment.get("loadAfter"));
    out.println("written: " + options.out.resolve("results.csv") + ", results.json, results.md, throughput.svg; logs in " + logs);
    return report;
  }

  // ---- one throughput run ----

  private Report.ThroughputRun throughputRun(Contender contender, int run) throws Exception {
    String id = contender.name() + "-r" + run + "-" + nonce;
    String outputTopic = "out-" + id;
    recreateTopic(outputTopic);
    long n = options.records;
    List<String> jvmArgs = new ArrayList<>();
    if (options.jfr) {
      Path jfr = options.out.resolve("jfr").resolve(contender.name() + "-r" + run + ".jfr").toAbsolutePath();
      Files.createDirectories(jfr.getParent());
      jvmArgs.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,jdk.ExecutionSample#period=2ms");
    }
    ContenderConfig config = config(contender, INPUT_TOPIC, outputTopic, id);
    Path log = options.out.resolve("logs").resolve(contender.name() + "-r" + run + ".log");
    log("run " + run + ": " + contender.name() + " ...");
    String error = null;
    Map<String, String> stats = Map.of();
    long submittedAt = -1;
    long runningAt = -1;
    long launchedAt = -1;
    Sample done = null;
    try (OutputTopic output = new OutputTopic(bootstrap, outputTopic);
        ContenderProcess process = ContenderProcess.launch(config, maxHeap(contender), jvmArgs, log)) {
      launchedAt = process.launchedAtMillis;
      OutputTopic.Verifier verifier = null;
      Thread verifierThread = null;
      try {
        submittedAt = process.submitted.get(options.stallTimeoutSeconds, TimeUnit.SECONDS);
        long lastSum = -1;
        long lastProgress = System.nanoTime();
        while (done == null) {
          Sample sample = output.sample(process.pid(), brokerPid);
          long progress = sample.sum() + (verifier == null ? 0 : verifier.records());
          if (progress > lastSum) {
            lastSum = progress;
            lastProgress = System.nanoTime();
          }
          if (process.error() != null) {
            throw new IllegalStateException(process.error());
          }
          if (!process.isAlive()) {
            throw new IllegalStateException("the contender JVM exited; see " + log);
          }
          if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(options.stallTimeoutSeconds)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                "no progress for %d s: %,d of %,d records in %s", options.stallTimeoutSeconds, sample.sum(), n, outputTopic));
          }
          if (sample.sum() >= n) {
            if (!contender.exactlyOnce()) {
              done = sample;
              break;
            }
            // transaction markers take offsets: count the committed records themselves
            if (verifier == null) {
              verifier = new OutputTopic.Verifier(bootstrap, output.partitions(), n);
              OutputTopic.Verifier v = verifier;
              verifierThread = new Thread(() -> {
                while (v.distinct() < n && !Thread.currentThread().isInterrupted()) {
                  v.readOnce();
                }
              }, "verifier");
              verifierThread.setDaemon(true);
              verifierThread.start();
            }
            if (verifier.distinct() >= n) {
              done = sample;
              break;
            }
          }
          Thread.sleep(SAMPLE_MILLIS);
        }
        runningAt = process.running.isDone() && !process.running.isCompletedExceptionally() ? process.running.get() : -1;
        stats = process.stop();
      } catch (ExecutionException | TimeoutException | IllegalStateException e) {
        error = (e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage());
        process.close();
      }
      if (error != null) {
        if (verifierThread != null) {
          verifierThread.interrupt();
        }
        log("  FAILED: " + error);
        deleteTopic(outputTopic);
        return new Report.ThroughputRun(contender.name(), run, error, n, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, -1, submittedAt - launchedAt, -1, -1, -1, stats);
      }
      if (verifier == null) {
        verifier = new OutputTopic.Verifier(bootstrap, output.partitions(), n);
        verifier.readUntilComplete(Duration.ofSeconds(15));
      } else {
        verifierThread.join(TimeUnit.SECONDS.toMillis(30));
      }
      try (OutputTopic.Verifier v = verifier) {
        // completion: the first sample at which all n records were visible to a read-committed consumer
        List<Sample> samples = output.samples();
        Sample endSample = firstAt(samples, v, contender.exactlyOnce(), n);
        long end = endSample != null ? endSample.atMillis() : done.atMillis();
        Sample firstSample = firstAt(samples, v, contender.exactlyOnce(), 1);
        long first = firstSample != null ? firstSample.atMillis() : end;
        Sample s10 = firstAt(samples, v, contender.exactlyOnce(), Math.max(1, n / 10));
        Sample s90 = firstAt(samples, v, contender.exactlyOnce(), Math.max(1, n * 9 / 10));
        double seconds = Math.max(1, end - submittedAt) / 1000.0;
        double rate = n / seconds;
        boolean window = s10 != null && s90 != null && s90.atMillis() > s10.atMillis();
        // exactly-once output arrives in bursts at checkpoints: the CPU between two bursts is not the records' CPU
        boolean cpuWindow = window && !contender.exactlyOnce();
        double steady = window ? (n * 0.8) / ((s90.atMillis() - s10.atMillis()) / 1000.0) : Double.NaN;
        // CPU per record between 10 % and 90 % of the output: the processing itself, without JVM start and JIT warm-up
        double cpuPerRecord = cpuWindow && s10.contenderCpuMs() >= 0
            ? (s90.contenderCpuMs() - s10.contenderCpuMs()) * 1000.0 / (n * 0.8) : Double.NaN;
        double brokerCpuPerRecord = cpuWindow && s10.brokerCpuMs() >= 0
            ? (s90.brokerCpuMs() - s10.brokerCpuMs()) * 1000.0 / (n * 0.8) : Double.NaN;
        // CPU per record from the job's submission to the end: with the ramp-up and JIT compilation
        Sample start = samples.isEmpty() ? null : samples.get(0);
        double totalCpuPerRecord = start != null && endSample != null && start.contenderCpuMs() >= 0
            ? (endSample.contenderCpuMs() - start.contenderCpuMs()) * 1000.0 / n : Double.NaN;
        String problem = null;
        if (v.distinct() < n) {
          problem = String.format(Locale.ROOT, "lost records: %,d of %,d ids in %s", v.distinct(), n, outputTopic);
        } else if (v.unexpected() > 0) {
          problem = v.unexpected() + " records with ids outside 0.." + (n - 1);
        }
        log(String.format(Locale.ROOT,
            "  %,.0f records/s (steady %,.0f), CPU/record %.2f µs (broker %.2f µs), first output after %d ms, "
                + "job submitted %d ms after launch, running after %d ms; %,d records, %,d distinct; "
                + "heap peak %s MB, RSS peak %s MB, GC %s%%%s",
            rate, steady, cpuPerRecord, brokerCpuPerRecord, first - submittedAt, submittedAt - launchedAt,
            runningAt < 0 ? -1 : runningAt - launchedAt,
            v.records(), v.distinct(), stats.getOrDefault("heapPeakMb", "?"), stats.getOrDefault("rssPeakMb", "?"),
            stats.containsKey("gcShare") ? String.format(Locale.ROOT, "%.1f", 100 * Double.parseDouble(stats.get("gcShare"))) : "?",
            problem == null ? "" : "  BROKEN: " + problem));
        deleteTopic(outputTopic);
        return new Report.ThroughputRun(contender.name(), run, problem, n, rate, steady, cpuPerRecord,
            brokerCpuPerRecord, totalCpuPerRecord, first - submittedAt, submittedAt - launchedAt,
            runningAt < 0 ? -1 : runningAt - launchedAt, v.records(), v.distinct(), stats);
      }
    }
  }

  /** The first sample at which at least {@code count} records were visible, or null. */
  private static Sample firstAt(List<Sample> samples, OutputTopic.Verifier verifier, boolean transactional, long count) {
    for (Sample sample : samples) {
      long visible = transactional ? verifier.visibleAt(sample) : sample.sum();
      if (visible >= count) {
        return sample;
      }
    }
    return null;
  }

  // ---- one latency run ----

  private Report.LatencyRun latencyRun(Contender contender, int run) throws Exception {
    String id = "lat-" + contender.name() + "-r" + run + "-" + nonce;
    String in = id + "-in";
    String outTopic = id + "-out";
    recreateTopic(in);
    recreateTopic(outTopic);
    ContenderConfig config = config(contender, in, outTopic, id);
    Path log = options.out.resolve("logs").resolve("latency-" + contender.name() + "-r" + run + ".log");
    log(String.format(Locale.ROOT, "run %d: latency of %s at %,d records/s ...", run, contender.name(), options.rate));
    try (ContenderProcess process = ContenderProcess.launch(config, maxHeap(contender), List.of(), log)) {
      try {
        process.running.get(options.stallTimeoutSeconds, TimeUnit.SECONDS);
        // exactly-once output shows up with the checkpoint after it was written
        Duration interval = checkpointInterval().compareTo(Duration.ofSeconds(10)) > 0 ? checkpointInterval() : Duration.ofSeconds(10);
        Duration drain = Duration.ofSeconds(30).plus(interval.multipliedBy(2));
        LatencyProbe.Result result = LatencyProbe.measure(bootstrap, in, outTopic, options.rate, options.warmupSeconds,
            options.latencySeconds, drain, process);
        process.stop();
        String error = result.missing() > 0
            ? String.format(Locale.ROOT, "%,d of %,d records did not come out", result.missing(), result.missing() + result.measured())
            : null;
        log(String.format(Locale.ROOT, "  p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms over %,d records%s",
            result.p50(), result.p99(), result.p999(), result.max(), result.measured(), error == null ? "" : "  BROKEN: " + error));
        return new Report.LatencyRun(contender.name(), run, error, result);
      } catch (ExecutionException | TimeoutException | IllegalStateException e) {
        String error = e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage();
        log("  FAILED: " + error);
        return new Report.LatencyRun(contender.name(), run, error, null);
      } finally {
        deleteTopic(in);
        deleteTopic(outTopic);
      }
    }
  }

  // ---- startup runs ----

  /** The sample's training run for its class data sharing archive (the README's recipe). */
  private static final List<String> SAMPLE_TRAINING_ARGS = List.of("--streamlet=processor", "--cloudflow.exit-after=2s");
  /** The hand-written app prepares its job while the context starts, as the starter does. */
  private static final List<String> HANDWRITTEN_ARGS = List.of("--reference.start-early=true");
  private static final List<String> HANDWRITTEN_TRAINING_ARGS =
      List.of("--reference.start-early=true", "--reference.exit-after=2s");

  /** A jar in Spring Boot's extracted layout with the archive of a training run, or why there is none. */
  private record CdsLayout(Path thinJar, Path archive, String problem) {}

  private final Map<String, CdsLayout> cdsLayouts = new LinkedHashMap<>();

  private void startupRound(int run) throws Exception {
    report.startup.add(startupRun("startup-external-broker",
        "java -jar sample-app.jar --streamlet=processor --spring.kafka.bootstrap-servers=<broker>: launch to readiness UP",
        options.sampleAppJar, bootstrap, List.of(), List.of(), run));
    // the embedded broker is only in the -dev jar (the production jar has no broker)
    report.startup.add(startupRun("startup-embedded-broker",
        "java -jar sample-app-dev.jar --streamlet=processor, embedded broker (no bootstrap servers): launch to readiness UP",
        devJar(options.sampleAppJar), null, List.of(), List.of(), run));
    // local mode: every streamlet of the sample (ingress, processor, logger) in this JVM, one job each
    report.startup.add(startupRun("startup-local-mode",
        "java -jar sample-app.jar --cloudflow.local=true --spring.kafka.bootstrap-servers=<broker>: the sample's three "
            + "streamlets in one JVM, launch to readiness UP (every task of the three jobs running)",
        options.sampleAppJar, bootstrap, List.of(), List.of("--cloudflow.local=true"), run));
    if (options.startupCds) {
      // the archive is trained from the production jar against the external broker, so it fits only that row
      cdsRun("startup-external-broker-cds", "the same from Spring Boot's extracted layout (java -Djarmode=tools -jar app.jar "
          + "extract) with -XX:SharedArchiveFile from the README's training run (--cloudflow.exit-after)",
          options.sampleAppJar, List.of(), SAMPLE_TRAINING_ARGS, run);
    }
    if (!options.startupReferences) {
      return;
    }
    if (referenceBuilt("startup-handwritten", options.handwrittenJar, "startup-reference-flink", run)) {
      report.startup.add(startupRun("startup-handwritten", "the same job written by hand in a Spring Boot web + actuator app "
          + "(benchmarks/startup-reference-flink, job prepared while the context starts), external broker",
          options.handwrittenJar, bootstrap, List.of(), HANDWRITTEN_ARGS, run));
      if (options.startupCds) {
        cdsRun("startup-handwritten-cds", "the hand-written app from its extracted layout with the archive of its own "
            + "training run", options.handwrittenJar, HANDWRITTEN_ARGS, HANDWRITTEN_TRAINING_ARGS, run);
      }
    }
    if (referenceBuilt("startup-trivial-boot", options.bootJar, "startup-reference", run)) {
      report.startup.add(startupRun("startup-trivial-boot", "a trivial Spring Boot web + actuator jar "
          + "(benchmarks/startup-reference): how fast the machine starts any Boot 4 jar in this run",
          options.bootJar, bootstrap, List.of(), List.of(), run));
    }
  }

  /** Whether a reference jar is built; if not, the first round's log says how to build it. */
  private boolean referenceBuilt(String row, Path jar, String project, int run) {
    if (Files.isRegularFile(jar)) {
      return true;
    }
    if (run == 1) {
      log(row + " skipped: no " + jar + " (mvn -B -q -f benchmarks/" + project + "/pom.xml package builds it)");
    }
    return false;
  }

  /** The sample's -dev jar next to its production jar: the same application with the embedded broker. */
  private static Path devJar(Path productionJar) {
    return productionJar.resolveSibling(productionJar.getFileName().toString().replaceFirst("\\.jar$", "-dev.jar"));
  }

  /** Times {@code jar}'s extracted layout with its archive, made by the first call (external broker). */
  private void cdsRun(String name, String description, Path jar, List<String> appArgs, List<String> trainingArgs, int run)
      throws Exception {
    CdsLayout layout = cdsLayouts.get(name);
    if (layout == null) {
      layout = prepareCds(name, jar, trainingArgs);
      cdsLayouts.put(name, layout);
    }
    if (layout.problem() != null) {
      report.descriptions.putIfAbsent(name, description);
      report.startup.add(new Report.StartupRun(name, run, new StartupProbe.Result(-1, -1, layout.problem())));
    } else {
      report.startup.add(startupRun(name, description, layout.thinJar(), bootstrap,
          List.of("-XX:SharedArchiveFile=" + layout.archive().toAbsolutePath()), appArgs, run));
    }
  }

  /** Extracts {@code jar} and writes its class data sharing archive the way the README does. */
  private CdsLayout prepareCds(String name, Path jar, List<String> trainingArgs) throws Exception {
    Path directory = workDirectory.resolve(name);
    Path logs = options.out.resolve("logs");
    long start = System.nanoTime();
    try {
      if (!Files.isRegularFile(jar)) {
        return new CdsLayout(null, null, "no jar at " + jar.toAbsolutePath());
      }
      Path thin = StartupProbe.extract(jar, directory.resolve("app"), logs.resolve(name + "-extract.log"));
      Path archive = directory.resolve("app.jsa");
      String failure = StartupProbe.train(thin, trainingArgs, bootstrap, options.startupJvmArgs, archive,
          directory.resolve("training"), logs.resolve(name + "-training.log"), Duration.ofSeconds(options.stallTimeoutSeconds));
      if (failure != null) {
        log("  " + name + ": CDS training run failed: " + failure);
        return new CdsLayout(null, null, "CDS training run failed: " + failure);
      }
      log(name + ": extracted " + jar.getFileName() + " and trained its CDS archive in " + millisSince(start) + " ms");
      return new CdsLayout(thin, archive, null);
    } catch (IOException e) {
      log("  " + name + ": CDS preparation failed: " + e.getMessage());
      return new CdsLayout(null, null, e.getMessage());
    }
  }

  private Report.StartupRun startupRun(String name, String description, Path jar, String bootstrapOrNull,
      List<String> extraJvmArgs, List<String> extraAppArgs, int run) throws Exception {
    report.descriptions.putIfAbsent(name, description);
    log("run " + run + ": " + name + " ...");
    log("  " + QuietMachine.await().describe());
    List<String> jvmArgs = new ArrayList<>(options.startupJvmArgs);
    jvmArgs.addAll(extraJvmArgs);
    List<String> appArgs = new ArrayList<>(options.startupAppArgs);
    appArgs.addAll(extraAppArgs);
    StartupProbe.Result result = StartupProbe.measure(jar, bootstrapOrNull, jvmArgs, appArgs,
        workDirectory.resolve(name + "-r" + run), options.out.resolve("logs").resolve(name + "-r" + run + ".log"),
        Duration.ofSeconds(options.stallTimeoutSeconds));
    log(result.ok()
        ? String.format(Locale.ROOT, "  readiness UP after %d ms (CPU %d ms, peak RSS %d MB)", result.millis(),
            result.cpuMillis(), result.rssPeakMb())
        : "  FAILED: " + result.error());
    return new Report.StartupRun(name, run, result);
  }

  // ---- helpers ----

  private ContenderConfig config(Contender contender, String in, String outTopic, String id) {
    Map<String, String> settings = new LinkedHashMap<>(options.globalSettings);
    settings.putAll(contender.settings());
    return new ContenderConfig(contender.mode(), contender.exactlyOnce(), bootstrap, in, outTopic, id,
        options.parallelism, options.checkpointInterval, workDirectory.resolve(id), settings);
  }

  private String maxHeap(Contender contender) {
    return contender.maxHeap() != null ? contender.maxHeap() : options.xmx;
  }

  private Duration checkpointInterval() {
    String value = options.checkpointInterval.equals("default") ? "10 s" : options.checkpointInterval;
    try {
      return org.apache.flink.util.TimeUtils.parseDuration(value);
    } catch (RuntimeException e) {
      return Duration.ofSeconds(10);
    }
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000"));
  }

  private void recreateTopic(String topic) throws Exception {
    try (Admin admin = admin()) {
      if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        while (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
          Thread.sleep(100);
        }
      }
      for (int attempt = 0; ; attempt++) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, options.parallelism, (short) 1))).all().get(30, TimeUnit.SECONDS);
          break;
        } catch (ExecutionException e) {
          // a topic being deleted may still block its re-creation for a moment
          if (attempt > 50) {
            throw e;
          }
          Thread.sleep(200);
        }
      }
      // wait until the leaders are known, so the contender's first metadata request finds them
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          if (admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
              .stream().allMatch(p -> p.leader() != null)) {
            break;
          }
        } catch (ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
        Thread.sleep(50);
      }
    }
  }

  /**
   * Deletes a topic of a broker given with {@code --bootstrap}; the broker the benchmark starts is
   * deleted with its directory at the end, and deleting topics during the runs would make it delete
   * their files while later contenders run.
   */
  private void deleteTopic(String topic) {
    if (options.bootstrap == null) {
      return;
    }
    try (Admin admin = admin()) {
      admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // disk space only
    }
  }

  /**
   * Where the started broker keeps its topics ({@code --broker-data}): by default a new directory in
   * {@code /dev/shm} when it has room for the input and two runs' output (a tenth of a kilobyte per
   * record each, plus a gigabyte), else the work directory.
   */
  private Path brokerDirectory() throws IOException {
    Path onDisk = workDirectory.resolve("broker");
    if (Options.BROKER_DATA_ON_DISK.equals(options.brokerData)) {
      return onDisk;
    }
    Path parent = Path.of(options.brokerData != null ? options.brokerData : "/dev/shm");
    if (options.brokerData == null) {
      long needed = options.records * 100 * 3 + (1L << 30);
      if (!Files.isDirectory(parent) || !Files.isWritable(parent) || Files.getFileStore(parent).getUsableSpace() < needed) {
        log("no room for the broker's topics in " + parent + ": they go to the work directory");
        return onDisk;
      }
    }
    return Files.createTempDirectory(parent, "cloudflow-benchmarks-broker-");
  }

  private void environment(String loadKey) {
    Map<String, String> env = report.environment;
    if (env.isEmpty()) {
      env.put("date", Instant.now().toString());
      env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
      env.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
      long memKb = SelfStats.procStatusKb(Path.of("/proc/meminfo"), "MemTotal");
      env.put("machine", Runtime.getRuntime().availableProcessors() + " CPUs"
          + (memKb > 0 ? ", " + (memKb / 1024 / 1024 + 1) + " GB RAM" : ""));
    }
    try {
      String load = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim();
      String[] parts = load.split(" ");
      env.put(loadKey, parts[0] + " " + parts[1] + " " + parts[2]);
    } catch (IOException | RuntimeException e) {
      env.put(loadKey, "unknown");
    }
  }

  private static List<String> rotate(List<String> names, int by) {
    List<String> rotated = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      rotated.add(names.get((i + by) % names.size()));
    }
    return rotated;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private void log(String message) {
    out.println(String.format(Locale.ROOT, "[%tT] %s", System.currentTimeMillis(), message));
    out.flush();
  }

  private static long millisSince(long nanoStart) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoStart);
  }

  private static void deleteRecursively(Path path) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temporary files only
    }
  }
}
