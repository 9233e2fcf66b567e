package cloudflow.flink.spring.deploy;

import static cloudflow.flink.spring.deploy.ManifestGenerator.CHECKPOINTS_PATH;
import static cloudflow.flink.spring.deploy.ManifestGenerator.map;
import static cloudflow.flink.spring.deploy.ManifestGenerator.object;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A streamlet in plain mode: a Deployment of one pod running {@code java -jar app.jar
 * --streamlet=<name>} (its Flink job inside the pod), the claim its checkpoints live on, and a Service
 * for its HTTP port.
 */
final class PlainMode {

  private final ManifestGenerator generator;
  private final StreamletFacts streamlet;
  private final ResolvedSettings resolved;
  private final String name;

  PlainMode(ManifestGenerator generator, StreamletFacts streamlet, ResolvedSettings resolved) {
    this.generator = generator;
    this.streamlet = streamlet;
    this.resolved = resolved;
    this.name = generator.applicationId() + "-" + streamlet.name();
  }

  ManifestGenerator.ManifestFile file() {
    List<Map<String, Object>> objects = new ArrayList<>();
    String uri = resolved.checkpointUri();
    String claim = null;
    if (uri == null) {
      claim = resolved.sharedClaim() ? generator.sharedClaimName() : name + "-checkpoints";
      if (!resolved.sharedClaim()) {
        // one pod at a time uses it (Recreate), so ReadWriteOnce, which every cluster offers
        objects.add(generator.claim(claim, streamlet.name(), "ReadWriteOnce", resolved, resolved.labels()));
      }
    }
    objects.add(deployment(claim, uri));
    objects.add(service());
    List<String> header = List.of(
        ManifestGenerator.GENERATED_MARK + " of " + generator.applicationId() + "; change cloudflow.deployment.* and regenerate.",
        "Streamlet '" + streamlet.name() + "' in plain mode: one pod running java -jar --streamlet=" + streamlet.name()
            + " (parallelism " + streamlet.parallelism() + "),",
        "checkpoints " + (uri != null ? "in " + uri : "on the claim " + claim + " at " + CHECKPOINTS_PATH)
            + ", a Service for its HTTP port.");
    return new ManifestGenerator.ManifestFile(streamlet.name() + ".yaml", header, objects);
  }

  private Map<String, Object> deployment(String claim, String uri) {
    Map<String, String> userLabels = resolved.labels();
    int port = generator.httpPort();
    Map<String, Object> annotations = map(
        "prometheus.io/scrape", "true", "prometheus.io/path", "/actuator/prometheus", "prometheus.io/port", String.valueOf(port));
    annotations.putAll(resolved.annotations());

    List<Object> env = new ArrayList<>();
    env.add(map("name", "JAVA_TOOL_OPTIONS", "value", "-Xmx" + resolved.heap() + " -XX:+ExitOnOutOfMemoryError"));
    env.add(map("name", "CLOUDFLOW_CHECKPOINTING_DIRECTORY", "value", uri != null ? uri : CHECKPOINTS_PATH));
    resolved.env().forEach((key, value) -> env.add(map("name", key, "value", value)));

    List<Object> volumes = new ArrayList<>();
    List<Object> mounts = new ArrayList<>();
    if (claim != null) {
      volumes.add(map("name", "checkpoints", "persistentVolumeClaim", map("claimName", claim)));
      mounts.add(map("name", "checkpoints", "mountPath", CHECKPOINTS_PATH));
    }
    ManifestGenerator.addVolumes(resolved.volumes(), volumes, mounts);

    Map<String, Object> requests = map("cpu", resolved.cpuRequest(), "memory", resolved.memoryRequest());
    Map<String, Object> limits = map("memory", resolved.memoryLimit());
    if (resolved.cpuLimit() != null) {
      limits.put("cpu", resolved.cpuLimit());
    }
    Map<String, Object> container = map(
        "name", "streamlet",
        "image", resolved.image(generator.applicationId()),
        "imagePullPolicy", resolved.imagePullPolicy(),
        // the parallelism as an argument: changing it changes this pod template, so only this streamlet rolls
        "args", List.of("--streamlet=" + streamlet.name(),
            "--cloudflow.streamlets." + streamlet.name() + ".parallelism=" + streamlet.parallelism()),
        "envFrom", generator.envFrom(),
        "env", env,
        "ports", List.of(map("name", "http", "containerPort", port)),
        // the job is submitted during startup; readiness is UP once it RUNS
        "startupProbe", probe("/actuator/health/readiness", 2, 5, 90),
        "readinessProbe", probe("/actuator/health/readiness", 5, 3, null),
        // DOWN once the job FAILED for good: the restarted pod resumes from its newest checkpoint
        "livenessProbe", probe("/actuator/health/liveness", 10, 3, 3),
        "resources", map("requests", requests, "limits", limits));
    if (!mounts.isEmpty()) {
      container.put("volumeMounts", mounts);
    }

    Map<String, Object> podSpec = new LinkedHashMap<>();
    // SIGTERM stops the job with a savepoint within cloudflow.shutdown-timeout; leave it 30 s more
    podSpec.put("terminationGracePeriodSeconds", generator.app().shutdownTimeout().toSeconds() + 30);
    if (resolved.serviceAccount() != null) {
      podSpec.put("serviceAccountName", resolved.serviceAccount());
    }
    podSpec.put("securityContext", map("runAsNonRoot", true, "runAsUser", 1000, "fsGroup", 1000));
    ManifestGenerator.addScheduling(resolved, podSpec);
    podSpec.put("containers", List.of(container));
    if (!volumes.isEmpty()) {
      podSpec.put("volumes", volumes);
    }

    Map<String, Object> spec = map(
        "replicas", 1,
        // never two pods of one streamlet: both would run the same job (same consumer group, same checkpoints)
        "strategy", map("type", "Recreate"),
        "selector", map("matchLabels", generator.selector(streamlet.name())),
        "template", map(
            "metadata", map("labels", generator.labels(streamlet.name(), userLabels), "annotations", annotations),
            "spec", podSpec));
    return object("apps/v1", "Deployment", name, generator.labels(streamlet.name(), userLabels), "spec", spec);
  }

  private Map<String, Object> service() {
    Map<String, Object> spec = map(
        "selector", generator.selector(streamlet.name()),
        "ports", List.of(map("name", "http", "port", generator.httpPort(), "targetPort", "http")));
    return object("v1", "Service", name, generator.labels(streamlet.name(), resolved.labels()), "spec", spec);
  }

  private static Map<String, Object> probe(String path, int period, int timeout, Integer failures) {
    Map<String, Object> probe = map("httpGet", map("path", path, "port", "http"), "periodSeconds", period, "timeoutSeconds", timeout);
    ManifestGenerator.putIfSet(probe, "failureThreshold", failures);
    return probe;
  }
}
