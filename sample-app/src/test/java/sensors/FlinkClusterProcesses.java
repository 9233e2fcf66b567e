package sensors;

import static sensors.ItSupport.freePort;
import com.jayway.jsonpath.JsonPath;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A real Flink session cluster for tests: one job manager ({@code StandaloneSessionClusterEntrypoint})
 * and task managers ({@code TaskManagerRunner}), each a separate JVM started from the Flink jars on
 * the test class path, the way Flink's own {@code jobmanager.sh}/{@code taskmanager.sh} start them
 * from a distribution.
 *
 * <p>The cluster's class path is the test JVM's minus everything a Flink distribution does not have:
 * the application's classes and modules, the Kafka connector and client, Avro, Spring. So the job's
 * code must come from the jars the application ships, as on a real cluster.
 *
 * <p>JVM memory flags are computed the way {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} /
 * {@code GET_JM_RESOURCE_PARAMS} compute them for the scripts: from the process sizes set here
 * (job manager {@value #JM_PROCESS_SIZE}, task manager {@value #TM_PROCESS_SIZE} with a small
 * managed-memory fraction, since the jobs keep their state on the heap).
 */
final class FlinkClusterProcesses implements AutoCloseable {

  static final String JM_PROCESS_SIZE = "768m";
  static final String TM_PROCESS_SIZE = "1g";

  /** What a Flink distribution does not contain: it comes with the job's jars or not at all. */
  private static final Pattern NOT_IN_FLINK_DIST = Pattern.compile(
      "(cloudflow-.*|sample-app.*|flink-connector-kafka.*|flink-avro.*|avro-.*|kafka.*|spring-.*|micrometer-.*"
          + "|config-1.*)\\.jar");


  private final Path directory;
  private final Path configDirectory;
  private final String classpath;
  private final List<String> addOpens;
  private final int restPort;
  private final int rpcPort;
  private final Configuration configuration;
  private Process jobManager;
  private final List<Process> taskManagers = new ArrayList<>();
  private List<String> jobManagerJvmFlags = List.of();
  private List<String> taskManagerJvmFlags = List.of();
  private List<String> taskManagerDynamicConfigs = List.of();
  /** Environment of every process: a Flink home's lib and plugins folders, in application mode. */
  private final Map<String, String> environment = new LinkedHashMap<>();
  private Map<String, String> jobManagerEnvironment = Map.of();

  /**
   * Prepares a cluster that keeps its configuration, temporary files and logs in {@code directory}.
   */
  FlinkClusterProcesses(Path directory) {
    this(directory, Map.of());
  }

  /**
   * Prepares a cluster with settings over the ones for this machine (a FlinkDeployment's
   * flinkConfiguration, say).
   */
  FlinkClusterProcesses(Path directory, Map<String, String> settings) {
    try {
      this.directory = Files.createDirectories(directory.toAbsolutePath());
      this.configDirectory = Files.createDirectories(this.directory.resolve("conf"));
      this.restPort = freePort();
      this.rpcPort = freePort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String flinkJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> Files.isRegularFile(Path.of(entry)))
        .filter(entry -> !NOT_IN_FLINK_DIST.matcher(Path.of(entry).getFileName().toString()).matches())
        .collect(Collectors.joining(File.pathSeparator));
    // this test's classes, for StandaloneApplicationEntryPoint (the application's own come from usrlib)
    this.classpath = flinkJars + File.pathSeparator
        + Path.of(StandaloneApplicationEntryPoint.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    // the same --add-opens as this JVM got from the build (Flink needs them on Java 17)
    List<String> opens = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> arg.startsWith("--add-opens")).toList();
    this.addOpens = opens.isEmpty() ? List.of(
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED",
        "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED", "--add-opens=java.base/java.math=ALL-UNNAMED",
        "--add-opens=java.base/java.security=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens=java.base/sun.security.action=ALL-UNNAMED") : opens;
    this.configuration = clusterConfiguration();
    settings.forEach(configuration::setString);
  }

  private Configuration clusterConfiguration() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("jobmanager.rpc.address", "127.0.0.1");
    settings.put("jobmanager.rpc.port", String.valueOf(rpcPort));
    settings.put("jobmanager.bind-host", "127.0.0.1");
    settings.put("rest.address", "127.0.0.1");
    settings.put("rest.bind-address", "127.0.0.1");
    settings.put("rest.port", String.valueOf(restPort));
    settings.put("taskmanager.host", "127.0.0.1");
    settings.put("taskmanager.bind-host", "127.0.0.1");
    settings.put("taskmanager.numberOfTaskSlots", "1");
    settings.put("jobmanager.memory.process.size", JM_PROCESS_SIZE);
    settings.put("taskmanager.memory.process.size", TM_PROCESS_SIZE);
    // state lives on the heap (hashmap backend): little managed memory is needed
    settings.put("taskmanager.memory.managed.fraction", "0.05");
    settings.put("parallelism.default", "1");
    // a lost task manager is noticed within seconds
    settings.put("heartbeat.interval", "1000");
    settings.put("heartbeat.timeout", "10000");
    settings.put("io.tmp.dirs", directory.resolve("tmp").toString());
    settings.put("blob.storage.directory", directory.resolve("blobs").toString());
    settings.put("web.tmpdir", directory.resolve("web").toString());
    settings.put("web.submit.enable", "false");
    return Configuration.fromMap(settings);
  }

  /**
   * Lays the application out in a Flink home with {@code config/flink/application-layout.sh}, as the
   * Dockerfile's {@code flink} image has it: {@code usrlib/} and the metric reporter plugin.
   */
  static Path layOutApplication(Path appJar, Path flinkHome) throws IOException, InterruptedException {
    Process layout = new ProcessBuilder("bash", Path.of("..", "config", "flink", "application-layout.sh").toString(),
        appJar.toString(), flinkHome.toString(), "sensor-pipeline.jar").inheritIO().start();
    if (layout.waitFor() != 0) {
      throw new IllegalStateException("application-layout.sh exited with " + layout.exitValue());
    }
    return flinkHome;
  }

  /**
   * Settings that load the streamlets' metric reporter (from the plugins folder given to
   * {@link #withPlugins}) on a port of {@code ports}, tagging series with {@code application}.
   */
  static Map<String, String> streamletReporter(String application, String ports) {
    return Map.of(
        "metrics.reporter.cloudflow.factory.class", "cloudflow.flink.metrics.prometheus.StreamletPrometheusReporterFactory",
        "metrics.reporter.cloudflow.port", ports,
        "metrics.reporter.cloudflow.host", "127.0.0.1",
        "metrics.reporter.cloudflow.application", application);
  }

  /** The metrics served on the first {@code count} ports from {@code firstPort} (those not served are skipped). */
  static String scrape(int firstPort, int count) {
    StringBuilder metrics = new StringBuilder();
    for (int port = firstPort; port < firstPort + count; port++) {
      try {
        HttpResponse<String> response = ItSupport.get(port, "/metrics");
        if (response.statusCode() == 200) {
          metrics.append(response.body());
        }
      } catch (IOException notServed) {
        // not every port of the range is taken
      }
    }
    return metrics.toString();
  }

  /** Every process loads Flink plugins (the metric reporter) from this folder. */
  FlinkClusterProcesses withPlugins(Path pluginsDirectory) {
    environment.put("FLINK_PLUGINS_DIR", pluginsDirectory.toString());
    return this;
  }

  /** Starts the job manager and {@code count} task managers; returns when all slots are registered. */
  FlinkClusterProcesses start(int count, Duration timeout) throws IOException, InterruptedException {
    return start("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", List.of(), count, timeout);
  }

  /**
   * Starts an application cluster: the job manager runs {@link StandaloneApplicationEntryPoint}, which
   * runs the application laid out in {@code flinkHome} ({@code usrlib/}, {@code plugins/}) with the
   * main class, arguments and jar in the configuration, as the Flink Kubernetes Operator has it.
   *
   * @param jobManagerSettings dynamic settings of the job manager only
   * @param jobManagerEnvironment environment variables of the job manager, which runs the application's main
   */
  FlinkClusterProcesses startApplication(Path flinkHome, Map<String, String> jobManagerSettings,
      Map<String, String> jobManagerEnvironment, int count, Duration timeout) throws IOException, InterruptedException {
    environment.put("FLINK_LIB_DIR", flinkHome.resolve("lib").toString());
    withPlugins(flinkHome.resolve("plugins"));
    List<String> extra = new ArrayList<>();
    jobManagerSettings.forEach((key, value) -> extra.addAll(List.of("-D", key + "=" + value)));
    this.jobManagerEnvironment = Map.copyOf(jobManagerEnvironment);
    return start(StandaloneApplicationEntryPoint.class.getName(), extra, count, timeout);
  }

  private FlinkClusterProcesses start(String jobManagerClass, List<String> jobManagerSettings, int count, Duration timeout)
      throws IOException, InterruptedException {
    writeConfiguration();
    JobManagerProcessSpec jmSpec = JobManagerProcessUtils.processSpecFromConfig(configuration);
    jobManagerJvmFlags = split(JobManagerProcessUtils.generateJvmParametersStr(jmSpec, configuration));
    List<String> jmDynamic = new ArrayList<>(split(JobManagerProcessUtils.generateDynamicConfigsStr(jmSpec)));
    jmDynamic.addAll(jobManagerSettings);
    TaskExecutorProcessSpec tmSpec = TaskExecutorProcessUtils.processSpecFromConfig(configuration);
    taskManagerJvmFlags = split(ProcessMemoryUtils.generateJvmParametersStr(tmSpec));
    taskManagerDynamicConfigs = split(TaskExecutorProcessUtils.generateDynamicConfigsStr(tmSpec));
    jobManager = launch("jobmanager", jobManagerJvmFlags, jobManagerClass, jmDynamic, jobManagerEnvironment);
    for (int i = 0; i < count; i++) {
      startTaskManager();
    }
    awaitTaskManagers(count, timeout);
    return this;
  }

  /** Starts one more task manager (not waiting for it to register). */
  synchronized Process startTaskManager() throws IOException {
    Process taskManager = launch("taskmanager-" + taskManagers.size(), taskManagerJvmFlags,
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", taskManagerDynamicConfigs, Map.of());
    taskManagers.add(taskManager);
    return taskManager;
  }

  /** Kills (SIGKILL) a task manager, as a crashed node would. */
  synchronized void killTaskManager(int index) throws InterruptedException {
    Process taskManager = taskManagers.get(index);
    taskManager.destroyForcibly();
    taskManager.waitFor(10, TimeUnit.SECONDS);
  }

  /** Stops (SIGTERM) the job manager, as Kubernetes stops a pod, and waits for it to exit; its exit code. */
  synchronized int terminateJobManager() throws InterruptedException {
    jobManager.destroy();
    if (!jobManager.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("The job manager did not exit within 60 s of SIGTERM\n" + logTail("jobmanager", 40));
    }
    return jobManager.exitValue();
  }

  /** Waits until the job manager counts {@code count} registered task managers. */
  void awaitTaskManagers(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!jobManager.isAlive()) {
        throw new IllegalStateException("The job manager exited with " + jobManager.exitValue() + ":\n" + logTail("jobmanager", 60));
      }
      try {
        last = get("/overview");
        Integer registered = JsonPath.read(last, "$.taskmanagers");
        if (registered == count) {
          return;
        }
      } catch (IOException notUpYet) {
        // keep polling
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("No " + count + " task managers within " + timeout + " (" + last + ")\n"
        + logTail("jobmanager", 40) + "\n" + logTail("taskmanager-0", 40));
  }

  private Process launch(String name, List<String> memoryFlags, String mainClass, List<String> dynamicConfigs,
      Map<String, String> extraEnvironment) throws IOException {
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(memoryFlags);
    command.addAll(addOpens);
    command.add("-XX:+UseSerialGC");
    // as Flink's scripts do
    command.addAll(split(configuration.getString("env.java.opts.all", "")));
    command.add("-Dlogback.configurationFile=" + configDirectory.resolve("logback.xml"));
    command.add("-Dlog.file=" + log(name));
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.add("--configDir");
    command.add(configDirectory.toString());
    command.addAll(dynamicConfigs);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder.environment().putAll(extraEnvironment);
    return builder
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()))
        .start();
  }

  private void writeConfiguration() throws IOException {
    // Flink 2 reads config.yaml; flat keys are valid YAML there
    String yaml = configuration.toMap().entrySet().stream()
        .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
        .collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(configDirectory.resolve("config.yaml"), yaml);
    Files.writeString(configDirectory.resolve("logback.xml"), """
        <configuration>
          <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
          </appender>
          <logger name="org.apache.pekko" level="WARN"/>
          <logger name="org.apache.kafka" level="WARN"/>
          <logger name="org.apache.flink.runtime.checkpoint" level="WARN"/>
          <root level="INFO"><appender-ref ref="out"/></root>
        </configuration>
        """);
  }

  /** GET on the job manager's REST API; the body, or an IOException for anything but 200. */
  String get(String path) throws IOException {
    HttpResponse<String> response = ItSupport.get(restPort, path);
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  // ---- a job, as the job manager sees it ----

  /** Waits until every vertex of the job runs (the job RUNNING is not enough: its tasks may still deploy). */
  void awaitAllVerticesRunning(String jobId, Duration timeout) throws InterruptedException {
    String[] job = {""};
    ItSupport.awaitTrue(timeout, () -> {
      try {
        job[0] = get("/jobs/" + jobId);
        List<String> states = JsonPath.read(job[0], "$.vertices[*].status");
        return !states.isEmpty() && states.stream().allMatch("RUNNING"::equals);
      } catch (IOException notYet) {
        return false;
      }
    }, () -> "every vertex RUNNING: " + job[0] + "\n" + logTail("jobmanager", 60), 200);
  }

  /** The task managers (by id) running at least one subtask of the job. */
  Set<String> taskManagersRunning(String jobId) throws IOException {
    Set<String> ids = new HashSet<>();
    List<String> vertices = JsonPath.read(get("/jobs/" + jobId), "$.vertices[*].id");
    for (String vertex : vertices) {
      ids.addAll(JsonPath.<List<String>>read(get("/jobs/" + jobId + "/vertices/" + vertex + "/taskmanagers"),
          "$.taskmanagers[*].taskmanager-id"));
    }
    return ids;
  }

  /** The job's completed checkpoints so far. */
  long completedCheckpoints(String jobId) throws IOException {
    return JsonPath.<Number>read(get("/jobs/" + jobId + "/checkpoints"), "$.counts.completed").longValue();
  }

  /** Waits until the job has restarted at least {@code restarts} times. */
  void awaitRestarts(String jobId, long restarts, Duration timeout) throws InterruptedException {
    String[] metrics = {""};
    ItSupport.awaitTrue(timeout, () -> {
      try {
        metrics[0] = get("/jobs/" + jobId + "/metrics?get=numRestarts");
        List<String> values = JsonPath.read(metrics[0], "$[?(@.id == 'numRestarts')].value");
        return !values.isEmpty() && Long.parseLong(values.get(0)) >= restarts;
      } catch (IOException notYet) {
        return false;
      }
    }, () -> restarts + " restarts of the job: " + metrics[0] + "\n" + logTail("jobmanager", 40), 200);
  }

  /** The URI of a path of the job manager's REST API. */
  java.net.URI uri(String path) {
    return java.net.URI.create("http://127.0.0.1:" + restPort + path);
  }

  /** host:port of the job manager's REST endpoint, as {@code cloudflow.cluster.address} wants it. */
  String restAddress() {
    return "127.0.0.1:" + restPort;
  }

  List<String> jobManagerJvmFlags() {
    return jobManagerJvmFlags;
  }

  List<String> taskManagerJvmFlags() {
    return taskManagerJvmFlags;
  }

  List<String> taskManagerDynamicConfigs() {
    return taskManagerDynamicConfigs;
  }

  /** Resident memory of the cluster's live processes in MiB, by process name (Linux /proc). */
  Map<String, Long> residentMemoryMiB() {
    Map<String, Long> rss = new LinkedHashMap<>();
    rss.put("jobmanager", rssMiB(jobManager));
    for (int i = 0; i < taskManagers.size(); i++) {
      rss.put("taskmanager-" + i, rssMiB(taskManagers.get(i)));
    }
    return rss;
  }

  static long rssMiB(Process process) {
    if (process == null || !process.isAlive()) {
      return 0;
    }
    try {
      return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
          .filter(line -> line.startsWith("VmRSS:"))
          .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
          .findFirst().orElse(0);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  Path log(String name) {
    return directory.resolve(name + ".log");
  }

  String logTail(String name, int lines) {
    try {
      List<String> all = Files.readAllLines(log(name));
      return "---- " + log(name) + " ----\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no " + log(name) + ")";
    }
  }

  @Override
  public synchronized void close() {
    List<Process> all = new ArrayList<>(taskManagers);
    if (jobManager != null) {
      all.add(jobManager);
    }
    // all asked to stop first, so they shut down side by side
    all.forEach(Process::destroy);
    all.forEach(ItSupport::awaitExit);
  }

  private static List<String> split(String flags) {
    return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}
