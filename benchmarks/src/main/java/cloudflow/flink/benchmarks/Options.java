package cloudflow.flink.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's command line options. {@code --help} prints them. */
final class Options {

  static final String USAGE = """
      Usage: java -jar benchmarks/target/benchmarks.jar [options]

        --records N             records preloaded and passed through per run (default 10000000, a run of 10 s or more
                                on 2 cores, so fixed costs per run (job start, JIT compilation of the record path, the
                                first and last exactly-once commits) weigh little; 500k, 2m work)
        --runs N                runs of each contender, interleaved; the table shows medians (default 3)
        --parallelism N         Flink parallelism, raw-loop threads and topic partitions (default 2)
        --rate N                records/s of the latency probe (default 10000)
        --latency-seconds N     measured seconds of each latency run, after the warm-up (default 10)
        --warmup-seconds N      latency warm-up seconds, not measured (default 3)
        --contenders a,b,..     throughput contenders (default streamlet,flink,raw,flink-client-defaults,
                                raw-client-defaults,streamlet-exactly-once,heap); flink and raw run with the starter's
                                client settings, the *-client-defaults rows with Kafka's; also known: flink-exactly-once,
                                raw-starter-codec (the raw loop with the starter's AvroCodec), and any --variant
        --latency a,b,..|none   latency contenders (default streamlet,flink,raw,streamlet-exactly-once)
        --warmup-round true|false  one uncounted run of each throughput contender before run 1 (default true; false
                                with --quick), so that no contender meets a cold broker (its request paths unJITted,
                                the input not in the page cache); one run was not enough: the broker's CPU per record
                                was still 0.3-0.5 µs above its later value in the run after it
        --startup true|false    time java -jar sample-app.jar to readiness UP, external and embedded broker (default true)
        --startup-runs N        runs of each startup measurement (default: --runs)
        --startup-cds true|false  also time the jar in Spring Boot's extracted layout with a class data sharing
                                archive from a training run (default true)
        --startup-references true|false  time beside it, when built, the same job written by hand in a Boot app
                                (--handwritten-jar; with CDS too) and a trivial Boot web + actuator jar (--boot-jar)
                                (default true)
        --handwritten-jar PATH  default benchmarks/startup-reference-flink/target/startup-reference-flink.jar
                                (mvn -B -q -f benchmarks/startup-reference-flink/pom.xml package)
        --boot-jar PATH         default benchmarks/startup-reference/target/startup-reference.jar
                                (mvn -B -q -f benchmarks/startup-reference/pom.xml package)
        --checkpoint-interval D checkpoint interval of every Flink contender, e.g. "2 s" (default: "default",
                                the starter's own defaults, 10 s and 1 s for exactly-once)
        --xmx SIZE              heap of every contender JVM (default 512m)
        --heap-xmx SIZE         heap of the 'heap' contender (default 256m)
        --variant NAME=BASE[:k=v,..]  an extra contender: BASE with settings flink.<key>=.., consumer.<key>=..,
                                producer.<key>=.., xmx=..; repeatable; it runs when named in --contenders/--latency
                                (a variant given without --contenders is appended to the default list)
        --set k=v               a flink./consumer./producer. setting for every contender; repeatable
        --bootstrap HOST:PORT   use this broker instead of starting one (it must not run in a contender JVM)
        --broker-data DIR|disk  where the started broker keeps its topics (default /dev/shm when it exists with room
                                for them, else "disk", the work directory): on a disk, the kernel's writeback of
                                each run's output and the deletion of the last run's topics ran as system time on the
                                same cores as the next run (the startup rows of a full run were a quarter slower)
        --sample-app-jar PATH   the jar the startup measurement runs (default sample-app/target/sample-app-0.1.0-SNAPSHOT.jar)
        --startup-jvm-args "..." JVM options of the startup measurement (default "-Xmx<xmx>")
        --startup-app-args "..." extra application arguments of the startup measurement, e.g. "--spring.main.lazy-initialization=true"
        --out DIR               where results.csv/.json, throughput.svg and logs go (default benchmarks/results)
        --stall-timeout S       a run that makes no progress for S seconds is failed (default 120)
        --jfr                   record a JFR profile of each throughput run into <out>/jfr
        --render FILE           read a results.json and write its table, CSV, JSON and chart again (into --out,
                                default: the file's directory); runs nothing
        --quick                 the CI mode: 20000 records, 1 run of streamlet, flink and raw, no latency, no startup
        --help                  this text
      """;

  /** {@code --broker-data}'s value for the broker's data under the work directory. */
  static final String BROKER_DATA_ON_DISK = "disk";

  long records = 10_000_000;
  int runs = 3;
  int parallelism = 2;
  int rate = 10_000;
  int latencySeconds = 10;
  int warmupSeconds = 3;
  boolean warmupRound = true;
  List<String> contenders = null;
  List<String> latency = null;
  boolean startup = true;
  Integer startupRuns = null;
  boolean startupCds = true;
  boolean startupReferences = true;
  Path handwrittenJar = null;
  Path bootJar = null;
  String checkpointInterval = "default";
  String xmx = "512m";
  String heapXmx = "256m";
  List<String> variants = new ArrayList<>();
  Map<String, String> globalSettings = new LinkedHashMap<>();
  String bootstrap = null;
  /** The broker's data directory's parent: null for the default, {@link #BROKER_DATA_ON_DISK} for the work directory. */
  String brokerData = null;
  Path sampleAppJar = null;
  List<String> startupJvmArgs = null;
  List<String> startupAppArgs = List.of();
  Path out = null;
  int stallTimeoutSeconds = 120;
  boolean jfr = false;
  boolean quick = false;
  Path render = null;
  boolean help = false;

  static Options parse(String... args) {
    Options o = new Options();
    List<String> list = new ArrayList<>();
    for (String arg : args) {
      // --key=value and --key value
      if (arg.startsWith("--") && arg.contains("=")) {
        list.add(arg.substring(0, arg.indexOf('=')));
        list.add(arg.substring(arg.indexOf('=') + 1));
      } else {
        list.add(arg);
      }
    }
    for (int i = 0; i < list.size(); i++) {
      String key = list.get(i);
      switch (key) {
        case "--quick" -> o.quick = true;
        case "--jfr" -> o.jfr = true;
        case "--help", "-h" -> o.help = true;
        default -> {
          if (i + 1 >= list.size()) {
            throw new IllegalArgumentException("Option " + key + " needs a value\n" + USAGE);
          }
          String value = list.get(++i);
          switch (key) {
            case "--records" -> o.records = count(value);
            case "--runs" -> o.runs = Integer.parseInt(value);
            case "--parallelism" -> o.parallelism = Integer.parseInt(value);
            case "--rate" -> o.rate = (int) count(value);
            case "--latency-seconds" -> o.latencySeconds = Integer.parseInt(value);
            case "--warmup-seconds" -> o.warmupSeconds = Integer.parseInt(value);
            case "--contenders" -> o.contenders = names(value);
            case "--latency" -> o.latency = value.equals("none") ? List.of() : names(value);
            case "--warmup-round" -> o.warmupRound = Boolean.parseBoolean(value);
            case "--startup" -> o.startup = Boolean.parseBoolean(value);
            case "--startup-runs" -> o.startupRuns = Integer.parseInt(value);
            case "--startup-cds" -> o.startupCds = Boolean.parseBoolean(value);
            case "--startup-references" -> o.startupReferences = Boolean.parseBoolean(value);
            case "--handwritten-jar" -> o.handwrittenJar = Path.of(value);
            case "--boot-jar" -> o.bootJar = Path.of(value);
            case "--checkpoint-interval" -> o.checkpointInterval = value;
            case "--xmx" -> o.xmx = value;
            case "--heap-xmx" -> o.heapXmx = value;
            case "--variant" -> o.variants.add(value);
            case "--set" -> {
              String[] kv = value.split("=", 2);
              if (kv.length != 2) {
                throw new IllegalArgumentException("--set wants key=value, not " + value);
              }
              o.globalSettings.put(kv[0], kv[1]);
            }
            case "--bootstrap" -> o.bootstrap = value;
            case "--broker-data" -> o.brokerData = value;
            case "--sample-app-jar" -> o.sampleAppJar = Path.of(value);
            case "--startup-jvm-args" -> o.startupJvmArgs = words(value);
            case "--startup-app-args" -> o.startupAppArgs = words(value);
            case "--out" -> o.out = Path.of(value);
            case "--render" -> o.render = Path.of(value);
            case "--stall-timeout" -> o.stallTimeoutSeconds = Integer.parseInt(value);
            default -> throw new IllegalArgumentException("Unknown option " + key + "\n" + USAGE);
          }
        }
      }
    }
    if (o.quick) {
      if (!Arrays.asList(args).contains("--records") && Arrays.stream(args).noneMatch(a -> a.startsWith("--records="))) {
        o.records = 20_000;
      }
      o.runs = 1;
      if (!Arrays.asList(args).contains("--warmup-round")) {
        o.warmupRound = false;
      }
      if (o.contenders == null) {
        o.contenders = List.of("streamlet", "flink", "raw");
      }
      if (o.latency == null) {
        o.latency = List.of();
      }
      o.startup = false;
    }
    if (o.contenders == null) {
      o.contenders = new ArrayList<>(List.of("streamlet", "flink", "raw", "flink-client-defaults", "raw-client-defaults",
          "streamlet-exactly-once", "heap"));
      for (String variant : o.variants) {
        o.contenders.add(variant.substring(0, Math.max(0, variant.indexOf('='))));
      }
    }
    if (o.latency == null) {
      o.latency = List.of("streamlet", "flink", "raw", "streamlet-exactly-once");
    }
    if (o.out == null && o.render != null) {
      o.out = o.render.toAbsolutePath().getParent();
    }
    if (o.out == null) {
      o.out = Files.isRegularFile(Path.of("benchmarks", "pom.xml")) ? Path.of("benchmarks", "results") : Path.of("results");
    }
    if (o.sampleAppJar == null) {
      Path fromRoot = Path.of("sample-app", "target", "sample-app-0.1.0-SNAPSHOT.jar");
      o.sampleAppJar = Files.exists(fromRoot) ? fromRoot : Path.of("..", "sample-app", "target", "sample-app-0.1.0-SNAPSHOT.jar");
    }
    if (o.handwrittenJar == null) {
      o.handwrittenJar = benchmarksPath("startup-reference-flink", "target", "startup-reference-flink.jar");
    }
    if (o.bootJar == null) {
      o.bootJar = benchmarksPath("startup-reference", "target", "startup-reference.jar");
    }
    if (o.startupJvmArgs == null) {
      o.startupJvmArgs = List.of("-Xmx" + o.xmx);
    }
    if (o.records < 1 || o.runs < 1 || o.parallelism < 1 || o.rate < 1) {
      throw new IllegalArgumentException("records, runs, parallelism and rate must be positive");
    }
    return o;
  }

  /** A path under benchmarks/, from the project's root or from benchmarks/ itself. */
  private static Path benchmarksPath(String first, String... more) {
    Path underBenchmarks = Path.of(first, more);
    return Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks").resolve(underBenchmarks) : underBenchmarks;
  }

  private static List<String> words(String value) {
    return Arrays.stream(value.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  private static List<String> names(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** 2000000, 2m, 500k, 2_000_000. */
  static long count(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT).replace("_", "");
    long factor = 1;
    if (v.endsWith("k")) {
      factor = 1_000;
      v = v.substring(0, v.length() - 1);
    } else if (v.endsWith("m")) {
      factor = 1_000_000;
      v = v.substring(0, v.length() - 1);
    }
    return Math.round(Double.parseDouble(v) * factor);
  }

  int startupRuns() {
    return startupRuns != null ? startupRuns : runs;
  }
}
