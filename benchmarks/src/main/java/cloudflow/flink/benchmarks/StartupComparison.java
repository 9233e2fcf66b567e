package cloudflow.flink.benchmarks;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Interleaved A/B startup timing of several jars against one broker process: run 1 of every jar, then
 * run 2 in rotated order, and so on, each from launch to {@code /actuator/health/readiness} UP
 * ({@link StartupProbe}); prints each run, the medians and the load average before and after. Each
 * run starts once the machine is quiet ({@link QuietMachine}). On a shared machine only numbers taken
 * side by side in one run compare.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar cloudflow.flink.benchmarks.StartupComparison --runs 5 \
 *     --jar old=/tmp/old.jar --jar new=sample-app/target/sample-app-0.1.0-SNAPSHOT.jar \
 *     --jar boot=benchmarks/startup-reference/target/startup-reference.jar \
 *     [--args "--cloudflow.local=true"] [--jvm-args "-Xmx512m"] [--jvm NAME="-XX:SharedArchiveFile=app.jsa"] \
 *     [--timeout SECONDS] [--bootstrap HOST:PORT]
 * </pre>
 *
 * <p>{@code --args} replaces the default application arguments ({@code --streamlet=processor});
 * {@code --jar NAME=PATH:ARGS} gives one jar its own arguments (separated by {@code ,});
 * {@code --jvm NAME=ARGS} adds JVM arguments for one jar's runs (after {@code --jvm-args}), such as
 * its class data sharing archive.
 */
final class StartupComparison {

  private StartupComparison() {}

  public static void main(String[] args) throws Exception {
    Map<String, Path> jars = new LinkedHashMap<>();
    Map<String, List<String>> jarArgs = new LinkedHashMap<>();
    Map<String, List<String>> jarJvmArgs = new LinkedHashMap<>();
    int runs = 5;
    List<String> jvmArgs = List.of("-Xmx512m");
    List<String> appArgs = List.of("--streamlet=processor");
    String bootstrap = null;
    Path out = Path.of("benchmarks/results/startup");
    Duration timeout = Duration.ofSeconds(120);
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--jar" -> {
          String[] nameAndPath = value.split("=", 2);
          String[] pathAndArgs = nameAndPath[1].split(":", 2);
          jars.put(nameAndPath[0], Path.of(pathAndArgs[0]));
          if (pathAndArgs.length > 1) {
            jarArgs.put(nameAndPath[0], Arrays.asList(pathAndArgs[1].split(",")));
          }
          i++;
        }
        case "--jvm" -> {
          String[] nameAndArgs = value.split("=", 2);
          jarJvmArgs.put(nameAndArgs[0], words(nameAndArgs[1]));
          i++;
        }
        case "--runs" -> { runs = Integer.parseInt(value); i++; }
        case "--jvm-args" -> { jvmArgs = words(value); i++; }
        case "--args" -> { appArgs = words(value); i++; }
        case "--bootstrap" -> { bootstrap = value; i++; }
        case "--out" -> { out = Path.of(value); i++; }
        case "--timeout" -> { timeout = Duration.ofSeconds(Long.parseLong(value)); i++; }
        default -> throw new IllegalArgumentException("Unknown option " + args[i] + "; see the Javadoc of StartupComparison");
      }
    }
    if (jars.isEmpty()) {
      throw new IllegalArgumentException("No --jar NAME=PATH given");
    }
    Path work = Files.createTempDirectory("cloudflow-startup-");
    // a stopped comparison leaves no application or broker running
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
    System.out.println("load before: " + load());
    KafkaBrokerProcess broker = null;
    try {
      if (bootstrap == null) {
        broker = new KafkaBrokerProcess(work.resolve("broker")).withClasspath(Jvm.classpath()).start();
        bootstrap = broker.bootstrapServers();
      }
      Map<String, List<Long>> millis = new LinkedHashMap<>();
      Map<String, List<Long>> cpu = new LinkedHashMap<>();
      List<String> names = new ArrayList<>(jars.keySet());
      for (int run = 1; run <= runs; run++) {
        for (int k = 0; k < names.size(); k++) {
          String name = names.get((k + run - 1) % names.size());
          List<String> arguments = jarArgs.getOrDefault(name, appArgs);
          List<String> jvm = new ArrayList<>(jvmArgs);
          jvm.addAll(jarJvmArgs.getOrDefault(name, List.of()));
          QuietMachine.Wait quiet = QuietMachine.await();
          StartupProbe.Result result = StartupProbe.measure(jars.get(name), bootstrap, jvm, arguments,
              work.resolve(name + "-r" + run), out.resolve(name + "-r" + run + ".log"), timeout);
          System.out.printf(Locale.ROOT, "run %d %-12s %s  (load %s; %s)%n", run, name,
              result.ok() ? result.millis() + " ms, CPU " + result.cpuMillis() + " ms, peak RSS " + result.rssPeakMb() + " MB"
                  : "FAILED: " + result.error(), load(), quiet.describe());
          millis.computeIfAbsent(name, n -> new ArrayList<>()).add(result.ok() ? result.millis() : -1);
          cpu.computeIfAbsent(name, n -> new ArrayList<>()).add(result.ok() ? result.cpuMillis() : -1);
        }
      }
      System.out.println("load after: " + load());
      for (var entry : millis.entrySet()) {
        System.out.printf(Locale.ROOT, "%-12s median %s ms to readiness UP %s, CPU median %s ms %s%n", entry.getKey(),
            median(entry.getValue()), entry.getValue(), median(cpu.get(entry.getKey())), cpu.get(entry.getKey()));
      }
    } finally {
      if (broker != null) {
        broker.stop();
      }
    }
  }

  private static String median(List<Long> values) {
    List<Long> sorted = values.stream().filter(m -> m >= 0).sorted().toList();
    return sorted.isEmpty() ? "-" : String.valueOf(sorted.get(sorted.size() / 2));
  }

  private static List<String> words(String value) {
    return value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
