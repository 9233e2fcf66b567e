package cloudflow.flink.spring.deploy;

import cloudflow.flink.spring.deploy.StreamletSettings.Mode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One streamlet's settings after the fallback: its own value, else the application's, else the default.
 * Every value is checked here, and a bad one is refused naming the property it came from.
 */
final class ResolvedSettings {

  static final String PREFIX = "cloudflow.deployment.";

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Names of values that must come from a Secret (same words as the actuator's sanitizing function). */
  static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(jaas[._-]?config|password|passwd|secret|credential|token|keystore[._-]?key|ssl[._-]?key|private[._-]?key|api[._-]?key).*");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final DeploymentSettings app;
  private final StreamletSettings own;
  private final String streamlet;

  ResolvedSettings(DeploymentSettings app, String streamlet) {
    this.app = app;
    this.streamlet = streamlet;
    StreamletSettings found = app.getStreamlets().get(streamlet);
    this.own = found == null ? new StreamletSettings() : found;
  }

  /** The property that holds the value in effect of a setting, for messages. */
  String property(String key, Function<StreamletSettings, ?> getter) {
    return getter.apply(own) != null ? PREFIX + "streamlets." + streamlet + "." + key : PREFIX + key;
  }

  private <T> T pick(Function<StreamletSettings, T> getter, T fallback) {
    T value = getter.apply(own);
    if (value == null) {
      value = getter.apply(app);
    }
    return value == null ? fallback : value;
  }

  Mode mode() {
    return pick(StreamletSettings::getMode, Mode.PLAIN);
  }

  String image(String applicationId) {
    return mode() == Mode.FLINK
        ? nonBlank("flink-image", StreamletSettings::getFlinkImage, applicationId + "-flink:latest")
        : nonBlank("image", StreamletSettings::getImage, applicationId + ":latest");
  }

  String imagePullPolicy() {
    String policy = pick(StreamletSettings::getImagePullPolicy, "IfNotPresent");
    if (!List.of("Always", "IfNotPresent", "Never").contains(policy)) {
      throw new InvalidDeploymentSettingsException(property("image-pull-policy", StreamletSettings::getImagePullPolicy),
          "'" + policy + "' is not one of Always, IfNotPresent, Never");
    }
    return policy;
  }

  String cpuRequest() {
    return cpu("cpu-request", StreamletSettings::getCpuRequest, mode() == Mode.FLINK ? "1" : "500m");
  }

  String cpuLimit() {
    return cpu("cpu-limit", StreamletSettings::getCpuLimit, null);
  }

  String memoryLimit() {
    return memory("memory-limit", StreamletSettings::getMemoryLimit, mode() == Mode.FLINK ? "1Gi" : "768Mi");
  }

  String memoryRequest() {
    String request = memory("memory-request", StreamletSettings::getMemoryRequest, memoryLimit());
    if (Quantities.bytes(request, "") > Quantities.bytes(memoryLimit(), "")) {
      throw new InvalidDeploymentSettingsException(property("memory-request", StreamletSettings::getMemoryRequest),
          request + " is more than the memory limit " + memoryLimit());
    }
    return request;
  }

  String heap() {
    String heap = pick(StreamletSettings::getHeap, null);
    return heap == null
        ? Quantities.heapFor(Quantities.bytes(memoryLimit(), ""))
        : Quantities.heap(heap, property("heap", StreamletSettings::getHeap));
  }

  int taskSlots() {
    int slots = pick(StreamletSettings::getTaskSlots, 1);
    if (slots < 1) {
      throw new InvalidDeploymentSettingsException(property("task-slots", StreamletSettings::getTaskSlots), slots + " is not at least 1");
    }
    return slots;
  }

  double jobManagerCpu() {
    return Quantities.cores(cpu("job-manager-cpu", StreamletSettings::getJobManagerCpu, "500m"),
        property("job-manager-cpu", StreamletSettings::getJobManagerCpu));
  }

  long jobManagerMemory() {
    return Quantities.bytes(memory("job-manager-memory", StreamletSettings::getJobManagerMemory, "1Gi"), "");
  }

  StreamletSettings.UpgradeMode upgradeMode() {
    return pick(StreamletSettings::getUpgradeMode, StreamletSettings.UpgradeMode.LAST_STATE);
  }

  String serviceAccount() {
    String account = pick(StreamletSettings::getServiceAccount, mode() == Mode.FLINK ? "flink" : null);
    if (account != null && !Pattern.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?", account)) {
      throw new InvalidDeploymentSettingsException(property("service-account", StreamletSettings::getServiceAccount),
          "'" + account + "' is not a Kubernetes name (lower case letters, digits, '-' and '.')");
    }
    return account;
  }

  /** The streamlet's own environment variables (the application's go into the ConfigMap). */
  Map<String, String> env() {
    checkEnv(own.getEnv(), PREFIX + "streamlets." + streamlet + ".env");
    return own.getEnv();
  }

  /** Checks environment variables: valid names, and nothing that looks like a secret. */
  static void checkEnv(Map<String, String> env, String property) {
    env.keySet().forEach(name -> {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new InvalidDeploymentSettingsException(property + "." + name, "'" + name + "' is not an environment variable name");
      }
      if (SECRET_NAME.matcher(name).matches()) {
        throw new InvalidDeploymentSettingsException(property + "." + name,
            "looks like a secret; generated manifests hold no secrets: put it in the credentials Secret (cloudflow.deployment.credentials-secret)");
      }
    });
  }

  Map<String, String> labels() {
    Map<String, String> labels = merged(StreamletSettings::getLabels);
    labels.forEach((key, value) -> {
      String property = property("labels", s -> s.getLabels().containsKey(key) ? s : null) + "." + key;
      if (!QUALIFIED_NAME.matcher(key).matches() || key.length() > 317) {
        throw new InvalidDeploymentSettingsException(property, "'" + key + "' is not a label key ([prefix/]name)");
      }
      if (key.startsWith("app.kubernetes.io/")
          && List.of("name", "part-of", "component", "managed-by").contains(key.substring("app.kubernetes.io/".length()))) {
        throw new InvalidDeploymentSettingsException(property, "'" + key + "' is set by the generator (it selects the application's objects)");
      }
      if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
        throw new InvalidDeploymentSettingsException(property,
            "'" + value + "' is not a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
      }
    });
    return labels;
  }

  Map<String, String> annotations() {
    Map<String, String> annotations = merged(StreamletSettings::getAnnotations);
    annotations.keySet().forEach(key -> {
      if (!QUALIFIED_NAME.matcher(key).matches()) {
        throw new InvalidDeploymentSettingsException(
            property("annotations", s -> s.getAnnotations().containsKey(key) ? s : null) + "." + key, "'" + key + "' is not an annotation key");
      }
    });
    return annotations;
  }

  Map<String, String> nodeSelector() {
    return merged(StreamletSettings::getNodeSelector);
  }

  Map<String, String> flinkConfiguration() {
    return merged(StreamletSettings::getFlinkConfiguration);
  }

  /** Extra volumes with their checks; by name. */
  Map<String, StreamletSettings.Volume> volumes() {
    Map<String, StreamletSettings.Volume> volumes = merged(StreamletSettings::getVolumes);
    volumes.forEach((name, volume) -> {
      String property = property("volumes", s -> s.getVolumes().containsKey(name) ? s : null) + "." + name;
      if (!DNS_LABEL.matcher(name).matches() || name.length() > 63 || name.equals("checkpoints") || name.equals("flink-data")) {
        throw new InvalidDeploymentSettingsException(property,
            "'" + name + "' is not a volume name (lower case letters, digits and '-'; not checkpoints or flink-data)");
      }
      long sources = Stream.of(volume.getSecret(), volume.getConfigMap(), volume.getClaim())
          .filter(s -> s != null && !s.isBlank()).count();
      if (sources != 1) {
        throw new InvalidDeploymentSettingsException(property, "needs exactly one of secret, config-map or claim, has " + sources);
      }
      if (volume.getMountPath() == null || !volume.getMountPath().startsWith("/")) {
        throw new InvalidDeploymentSettingsException(property + ".mount-path", "'" + volume.getMountPath() + "' is not an absolute path");
      }
    });
    return volumes;
  }

  List<StreamletSettings.Toleration> tolerations() {
    List<StreamletSettings.Toleration> tolerations = pick(StreamletSettings::getTolerations, List.of());
    String property = property("tolerations", StreamletSettings::getTolerations);
    for (int i = 0; i < tolerations.size(); i++) {
      StreamletSettings.Toleration t = tolerations.get(i);
      if (t.getOperator() != null && !List.of("Exists", "Equal").contains(t.getOperator())) {
        throw new InvalidDeploymentSettingsException(property + "[" + i + "].operator", "'" + t.getOperator() + "' is not one of Exists, Equal");
      }
      if (t.getEffect() != null && !List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(t.getEffect())) {
        throw new InvalidDeploymentSettingsException(property + "[" + i + "].effect",
            "'" + t.getEffect() + "' is not one of NoSchedule, PreferNoSchedule, NoExecute");
      }
    }
    return tolerations;
  }

  boolean sharedClaim() {
    return pick(s -> s.getCheckpoints().getShared(), false);
  }

  String claimSize() {
    return memory("checkpoints.claim-size", s -> s.getCheckpoints().getClaimSize(), mode() == Mode.FLINK ? "5Gi" : "1Gi");
  }

  String storageClass() {
    return pick(s -> s.getCheckpoints().getStorageClass(), null);
  }

  /** The checkpoint URI without a trailing slash, or null for a claim. */
  String checkpointUri() {
    String uri = pick(s -> s.getCheckpoints().getUri(), null);
    if (uri == null || uri.isBlank()) {
      return null;
    }
    if (!uri.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.+")) {
      throw new InvalidDeploymentSettingsException(property("checkpoints.uri", s -> s.getCheckpoints().getUri()),
          "'" + uri + "' is not a file system URI (such as s3://bucket/checkpoints or file:///mnt/shared)");
    }
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  private <V> Map<String, V> merged(Function<StreamletSettings, Map<String, V>> getter) {
    Map<String, V> merged = new LinkedHashMap<>(getter.apply(app));
    merged.putAll(getter.apply(own));
    return merged;
  }

  private String nonBlank(String key, Function<StreamletSettings, String> getter, String fallback) {
    String value = pick(getter, fallback);
    if (value.isBlank()) {
      throw new InvalidDeploymentSettingsException(property(key, getter), "must not be empty");
    }
    return value.trim();
  }

  private String cpu(String key, Function<StreamletSettings, String> getter, String fallback) {
    String value = pick(getter, fallback);
    if (value != null) {
      Quantities.cores(value, property(key, getter));
    }
    return value;
  }

  private String memory(String key, Function<StreamletSettings, String> getter, String fallback) {
    String value = pick(getter, fallback);
    Quantities.bytes(value, property(key, getter));
    return value;
  }
}
