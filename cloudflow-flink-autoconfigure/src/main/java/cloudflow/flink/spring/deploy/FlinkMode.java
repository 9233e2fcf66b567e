package cloudflow.flink.spring.deploy;

import static cloudflow.flink.spring.deploy.ManifestGenerator.FLINK_DATA_PATH;
import static cloudflow.flink.spring.deploy.ManifestGenerator.FLINK_METRICS_PORT;
import static cloudflow.flink.spring.deploy.ManifestGenerator.map;
import static cloudflow.flink.spring.deploy.ManifestGenerator.object;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A streamlet in flink mode: a {@code FlinkDeployment} for the Flink Kubernetes Operator (application
 * mode: the job manager runs the application's main with {@code --streamlet=<name>}), and the
 * ReadWriteMany claim its job manager and task managers keep checkpoints, savepoints and HA data on.
 */
final class FlinkMode {

  /** The metrics reporter of application mode: the same cloudflow_streamlet_* series as /actuator/prometheus. */
  static final String REPORTER_FACTORY = "cloudflow.flink.metrics.prometheus.StreamletPrometheusReporterFactory";

  private final ManifestGenerator generator;
  private final StreamletFacts streamlet;
  private final ResolvedSettings resolved;
  private final String name;

  FlinkMode(ManifestGenerator generator, StreamletFacts streamlet, ResolvedSettings resolved) {
    this.generator = generator;
    this.streamlet = streamlet;
    this.resolved = resolved;
    this.name = generator.applicationId() + "-" + streamlet.name();
  }

  ManifestGenerator.ManifestFile file() {
    List<Map<String, Object>> objects = new ArrayList<>();
    String uri = resolved.checkpointUri();
    String claim = null;
    String base;
    if (uri != null) {
      base = uri + "/" + streamlet.name();
    } else if (resolved.sharedClaim()) {
      claim = generator.sharedFlinkClaimName();
      base = "file://" + FLINK_DATA_PATH + "/" + streamlet.name();
    } else {
      claim = name + "-flink-data";
      base = "file://" + FLINK_DATA_PATH;
    }
    objects.add(flinkDeployment(claim, base));
    if (claim != null && !resolved.sharedClaim()) {
      // the job manager and every task manager write here, on different nodes
      objects.add(generator.claim(claim, streamlet.name(), "ReadWriteMany", resolved, resolved.labels()));
    }
    int taskManagers = taskManagers();
    List<String> header = new ArrayList<>(List.of(
        ManifestGenerator.GENERATED_MARK + " of " + generator.applicationId() + "; change cloudflow.deployment.* and regenerate.",
        "Streamlet '" + streamlet.name() + "' in flink mode (Flink Kubernetes Operator 1.13+, application mode): the job",
        "manager runs the application's main with --streamlet=" + streamlet.name() + ", job.parallelism " + streamlet.parallelism() + " on "
            + taskManagers + " task manager(s) of " + resolved.taskSlots() + " slot(s);",
        "checkpoints, savepoints" + (upgradeWithHa() ? " and HA metadata" : "") + " under " + base
            + (claim != null ? "," : ".")));
    if (claim != null) {
      header.add("on the ReadWriteMany claim " + claim + ".");
    }
    return new ManifestGenerator.ManifestFile(streamlet.name() + ".yaml", header, objects);
  }

  private int taskManagers() {
    return (streamlet.parallelism() + resolved.taskSlots() - 1) / resolved.taskSlots();
  }

  private boolean upgradeWithHa() {
    return resolved.upgradeMode() == StreamletSettings.UpgradeMode.LAST_STATE;
  }

  private Map<String, Object> flinkDeployment(String claim, String base) {
    // in application mode the cluster's configuration wins: checkpointing is set here, not by job args
    Map<String, Object> flink = new LinkedHashMap<>();
    flink.put("taskmanager.numberOfTaskSlots", String.valueOf(resolved.taskSlots()));
    flink.put("state.backend.type", streamlet.stateBackend() == null ? "hashmap" : streamlet.stateBackend());
    flink.put("execution.checkpointing.interval", ManifestGenerator.flinkDuration(ManifestGenerator.checkpointInterval(streamlet)));
    flink.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    if (streamlet.retainedCheckpoints() != null) {
      flink.put("execution.checkpointing.num-retained", String.valueOf(streamlet.retainedCheckpoints()));
    }
    flink.put("execution.checkpointing.dir", base + "/checkpoints");
    flink.put("execution.checkpointing.savepoint-dir", base + "/savepoints");
    if (upgradeWithHa()) {
      flink.put("high-availability.type", "kubernetes");
      flink.put("high-availability.storageDir", base + "/ha");
    }
    // with checkpointing on, Flink's default restart strategy retries forever
    flink.put("restart-strategy.type", "exponential-delay");
    flink.put("metrics.reporter.cloudflow.factory.class", REPORTER_FACTORY);
    flink.put("metrics.reporter.cloudflow.port", String.valueOf(FLINK_METRICS_PORT));
    flink.put("metrics.reporter.cloudflow.application", generator.applicationId());
    // Flink logs with Log4j 2: Spring Boot must not reconfigure it
    flink.put("env.java.opts.all", "-Dorg.springframework.boot.logging.LoggingSystem=none");
    flink.putAll(resolved.flinkConfiguration());

    List<Object> volumes = new ArrayList<>();
    List<Object> mounts = new ArrayList<>();
    if (claim != null) {
      volumes.add(map("name", "flink-data", "persistentVolumeClaim", map("claimName", claim)));
      mounts.add(map("name", "flink-data", "mountPath", FLINK_DATA_PATH));
    }
    ManifestGenerator.addVolumes(resolved.volumes(), volumes, mounts);
    Map<String, Object> container = map(
        // the operator merges this into its main container: keep the name
        "name", "flink-main-container",
        "envFrom", generator.envFrom());
    List<Object> env = new ArrayList<>();
    resolved.env().forEach((key, value) -> env.add(map("name", key, "value", value)));
    if (!env.isEmpty()) {
      container.put("env", env);
    }
    container.put("ports", List.of(map("name", "metrics", "containerPort", FLINK_METRICS_PORT)));
    if (!mounts.isEmpty()) {
      container.put("volumeMounts", mounts);
    }
    Map<String, Object> podSpec = new LinkedHashMap<>();
    podSpec.put("securityContext", map("fsGroup", 9999)); // the flink user of the official image
    ManifestGenerator.addScheduling(resolved, podSpec);
    podSpec.put("containers", List.of(container));
    if (!volumes.isEmpty()) {
      podSpec.put("volumes", volumes);
    }
    Map<String, Object> annotations = map(
        "prometheus.io/scrape", "true", "prometheus.io/path", "/metrics", "prometheus.io/port", String.valueOf(FLINK_METRICS_PORT));
    annotations.putAll(resolved.annotations());

    long memory = Quantities.bytes(resolved.memoryLimit(), resolved.property("memory-limit", StreamletSettings::getMemoryLimit));
    double cpu = Quantities.cores(resolved.cpuRequest(), resolved.property("cpu-request", StreamletSettings::getCpuRequest));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("image", resolved.image(generator.applicationId()));
    spec.put("imagePullPolicy", resolved.imagePullPolicy());
    spec.put("flinkVersion", "v2_2");
    spec.put("mode", "native");
    spec.put("serviceAccount", resolved.serviceAccount());
    spec.put("flinkConfiguration", flink);
    spec.put("podTemplate", map(
        "apiVersion", "v1",
        "kind", "Pod",
        "metadata", map("labels", generator.labels(streamlet.name(), resolved.labels()), "annotations", annotations),
        "spec", podSpec));
    spec.put("jobManager", map("replicas", 1,
        "resource", map("cpu", resolved.jobManagerCpu(), "memory", Quantities.flinkMemory(resolved.jobManagerMemory()))));
    spec.put("taskManager", map("replicas", taskManagers(),
        "resource", map("cpu", cpu, "memory", Quantities.flinkMemory(memory))));
    spec.put("job", map(
        "jarURI", jarUri(),
        "entryClass", entryClass(),
        "args", List.of("--streamlet=" + streamlet.name(), "--spring.main.web-application-type=none"),
        "parallelism", streamlet.parallelism(),
        "upgradeMode", upgradeWithHa() ? "last-state" : "savepoint",
        "state", "running"));
    return object("flink.apache.org/v1beta1", "FlinkDeployment", name,
        generator.labels(streamlet.name(), resolved.labels()), "spec", spec);
  }

  private String jarUri() {
    String uri = generator.settings().getJarUri();
    return uri == null || uri.isBlank() ? "local:///opt/flink/usrlib/" + generator.applicationId() + ".jar" : uri;
  }

  private String entryClass() {
    String main = generator.settings().getMainClass();
    if (main == null || main.isBlank()) {
      main = generator.app().mainClass();
    }
    if (main == null || main.isBlank()) {
      throw new InvalidDeploymentSettingsException(ResolvedSettings.PREFIX + "main-class",
          "the application's main class is unknown (no @SpringBootApplication class found): set it");
    }
    return main;
  }
}
