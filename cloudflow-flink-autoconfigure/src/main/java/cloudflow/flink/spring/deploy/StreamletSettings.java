package cloudflow.flink.spring.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one streamlet is deployed: under {@code cloudflow.deployment.*} the application-wide defaults,
 * under {@code cloudflow.deployment.streamlets.<name>.*} a streamlet's overrides. Unset values fall back
 * to the application's, then to the defaults named in each description. Maps are merged key by key,
 * the streamlet's entry winning; lists are replaced.
 */
public class StreamletSettings {

  /** How the streamlet runs: plain (a Deployment running java -jar) or flink (a FlinkDeployment, Flink Kubernetes Operator application mode). Default plain. */
  private Mode mode;

  /** Container image of plain mode (runs java -jar app.jar). Default {@code <application-id>:latest}. */
  private String image;

  /** Container image of flink mode (a Flink image with the application in /opt/flink/usrlib). Default {@code <application-id>-flink:latest}. */
  private String flinkImage;

  /** Image pull policy: Always, IfNotPresent or Never. Default IfNotPresent. */
  private String imagePullPolicy;

  /** CPU request of the pod (plain) or of each task manager (flink), a Kubernetes quantity. Default 500m (plain), 1 (flink). */
  private String cpuRequest;

  /** CPU limit of the pod in plain mode, a Kubernetes quantity. Default none (a CPU limit throttles the JVM). */
  private String cpuLimit;

  /** Memory request of the pod in plain mode, a Kubernetes quantity. Default: the memory limit. */
  private String memoryRequest;

  /** Memory limit of the pod (plain) or memory of each task manager (flink), a Kubernetes quantity. Default 768Mi (plain), 1Gi (flink). */
  private String memoryLimit;

  /** JVM heap (-Xmx) in plain mode, such as 512m. Default two thirds of the memory limit. */
  private String heap;

  /** Task slots per task manager in flink mode; task managers = ceil(parallelism / slots). Default 1. */
  private Integer taskSlots;

  /** CPU of the job manager in flink mode, a Kubernetes quantity. Default 500m. */
  private String jobManagerCpu;

  /** Memory of the job manager in flink mode, a Kubernetes quantity. Default 1Gi. */
  private String jobManagerMemory;

  /** How the operator upgrades the job in flink mode, keeping its state: savepoint, or last-state (with Kubernetes HA). Default last-state. */
  private UpgradeMode upgradeMode;

  /**
   * Environment variables. Application-wide ones go into the application's ConfigMap, a streamlet's into
   * its container (where they win over the ConfigMap's). Names that look like secrets (password,
   * token, JAAS configuration, ...) are refused: put those in the credentials Secret.
   */
  private Map<String, String> env = new LinkedHashMap<>();

  /** Labels added to every object of the streamlet and to its pods. */
  private Map<String, String> labels = new LinkedHashMap<>();

  /** Annotations added to the streamlet's pods. */
  private Map<String, String> annotations = new LinkedHashMap<>();

  /** Extra volumes mounted into the streamlet's containers, by volume name. */
  private Map<String, Volume> volumes = new LinkedHashMap<>();

  /** Node selector of the streamlet's pods. */
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  /** Tolerations of the streamlet's pods; a streamlet's list replaces the application's. */
  private List<Toleration> tolerations;

  /** Service account of the pods. Default: the namespace's default in plain mode, flink (from the operator's Helm chart) in flink mode. */
  private String serviceAccount;

  /** Extra entries of the FlinkDeployment's flinkConfiguration (flink mode), over the generated ones. */
  private Map<String, String> flinkConfiguration = new LinkedHashMap<>();

  /** Where checkpoints and savepoints are kept. */
  private Checkpoints checkpoints = new Checkpoints();

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getFlinkImage() {
    return flinkImage;
  }

  public void setFlinkImage(String flinkImage) {
    this.flinkImage = flinkImage;
  }

  public String getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(String imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public String getCpuRequest() {
    return cpuRequest;
  }

  public void setCpuRequest(String cpuRequest) {
    this.cpuRequest = cpuRequest;
  }

  public String getCpuLimit() {
    return cpuLimit;
  }

  public void setCpuLimit(String cpuLimit) {
    this.cpuLimit = cpuLimit;
  }

  public String getMemoryRequest() {
    return memoryRequest;
  }

  public void setMemoryRequest(String memoryRequest) {
    this.memoryRequest = memoryRequest;
  }

  public String getMemoryLimit() {
    return memoryLimit;
  }

  public void setMemoryLimit(String memoryLimit) {
    this.memoryLimit = memoryLimit;
  }

  public String getHeap() {
    return heap;
  }

  public void setHeap(String heap) {
    this.heap = heap;
  }

  public Integer getTaskSlots() {
    return taskSlots;
  }

  public void setTaskSlots(Integer taskSlots) {
    this.taskSlots = taskSlots;
  }

  public String getJobManagerCpu() {
    return jobManagerCpu;
  }

  public void setJobManagerCpu(String jobManagerCpu) {
    this.jobManagerCpu = jobManagerCpu;
  }

  public String getJobManagerMemory() {
    return jobManagerMemory;
  }

  public void setJobManagerMemory(String jobManagerMemory) {
    this.jobManagerMemory = jobManagerMemory;
  }

  public UpgradeMode getUpgradeMode() {
    return upgradeMode;
  }

  public void setUpgradeMode(UpgradeMode upgradeMode) {
    this.upgradeMode = upgradeMode;
  }

  public Map<String, String> getEnv() {
    return env;
  }

  public void setEnv(Map<String, String> env) {
    this.env = env;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Map<String, Volume> getVolumes() {
    return volumes;
  }

  public void setVolumes(Map<String, Volume> volumes) {
    this.volumes = volumes;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public String getServiceAccount() {
    return serviceAccount;
  }

  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = serviceAccount;
  }

  public Map<String, String> getFlinkConfiguration() {
    return flinkConfiguration;
  }

  public void setFlinkConfiguration(Map<String, String> flinkConfiguration) {
    this.flinkConfiguration = flinkConfiguration;
  }

  public Checkpoints getCheckpoints() {
    return checkpoints;
  }

  public void setCheckpoints(Checkpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  /** How a streamlet runs. */
  public enum Mode {
    /** A Deployment of one pod running {@code java -jar app.jar --streamlet=<name>}. */
    PLAIN,
    /** A FlinkDeployment run by the Flink Kubernetes Operator in application mode. */
    FLINK
  }

  /** Upgrade modes of the Flink Kubernetes Operator that keep the job's state. */
  public enum UpgradeMode {
    /** Stop with a savepoint, start from it. */
    SAVEPOINT,
    /** Start from the latest checkpoint (needs Kubernetes HA, which the generated configuration enables). */
    LAST_STATE
  }

  /** Checkpoint storage: a PersistentVolumeClaim (one per streamlet or one shared), or a file system URI. */
  public static class Checkpoints {

    /** Size of the claim, a Kubernetes quantity. Default 1Gi (plain), 5Gi (flink). */
    private String claimSize;

    /** Storage class of the claim. Default: the cluster's default class. */
    private String storageClass;

    /** Whether all streamlets share one ReadWriteMany claim instead of a claim each. Default false. */
    private Boolean shared;

    /** A Flink file system URI (such as s3://bucket/checkpoints) used instead of a claim; each streamlet writes under {@code <uri>/<streamlet>}. */
    private String uri;

    public String getClaimSize() {
      return claimSize;
    }

    public void setClaimSize(String claimSize) {
      this.claimSize = claimSize;
    }

    public String getStorageClass() {
      return storageClass;
    }

    public void setStorageClass(String storageClass) {
      this.storageClass = storageClass;
    }

    public Boolean getShared() {
      return shared;
    }

    public void setShared(Boolean shared) {
      this.shared = shared;
    }

    public String getUri() {
      return uri;
    }

    public void setUri(String uri) {
      this.uri = uri;
    }
  }

  /** An extra volume: exactly one of secret, config-map or claim, mounted at mount-path. */
  public static class Volume {

    /** Name of the Secret to mount. */
    private String secret;

    /** Name of the ConfigMap to mount. */
    private String configMap;

    /** Name of the PersistentVolumeClaim to mount. */
    private String claim;

    /** Absolute path in the container. */
    private String mountPath;

    /** Whether the mount is read-only. Default true for secrets and config maps, false for claims. */
    private Boolean readOnly;

    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }

    public String getConfigMap() {
      return configMap;
    }

    public void setConfigMap(String configMap) {
      this.configMap = configMap;
    }

    public String getClaim() {
      return claim;
    }

    public void setClaim(String claim) {
      this.claim = claim;
    }

    public String getMountPath() {
      return mountPath;
    }

    public void setMountPath(String mountPath) {
      this.mountPath = mountPath;
    }

    public Boolean getReadOnly() {
      return readOnly;
    }

    public void setReadOnly(Boolean readOnly) {
      this.readOnly = readOnly;
    }
  }

  /** A toleration of the pods, as in the Kubernetes Pod spec. */
  public static class Toleration {

    /** Taint key the toleration applies to; empty with operator Exists matches all taints. */
    private String key;

    /** Exists or Equal. Default Equal. */
    private String operator;

    /** Taint value to match with operator Equal. */
    private String value;

    /** Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all. */
    private String effect;

    /** For NoExecute: how long the pod stays bound after the taint appears. */
    private Long tolerationSeconds;

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public String getOperator() {
      return operator;
    }

    public void setOperator(String operator) {
      this.operator = operator;
    }

    public String getValue() {
      return value;
    }

    public void setValue(String value) {
      this.value = value;
    }

    public String getEffect() {
      return effect;
    }

    public void setEffect(String effect) {
      this.effect = effect;
    }

    public Long getTolerationSeconds() {
      return tolerationSeconds;
    }

    public void setTolerationSeconds(Long tolerationSeconds) {
      this.tolerationSeconds = tolerationSeconds;
    }
  }
}
