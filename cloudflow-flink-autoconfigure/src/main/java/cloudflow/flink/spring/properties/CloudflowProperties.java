package cloudflow.flink.spring.properties;

import cloudflow.flink.plan.BadRecordHandling;
import java.nio.file.Path;
import cloudflow.flink.plan.StreamletOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the streamlets in this application, under the {@code cloudflow} prefix. Kafka
 * connection settings are Spring Boot's own {@code spring.kafka.*}.
 */
@ConfigurationProperties("cloudflow")
public class CloudflowProperties {

  /**
   * Name of the streamlet to run, as in `--streamlet=name`. Empty: the only streamlet, or all of them
   * when local mode is on.
   */
  private String streamlet;

  /**
   * Id of the application; the first part of every consumer group id and transactional id, so keep
   * it stable across releases. Defaults to spring.application.name.
   */
  private String applicationId;

  /**
   * Whether to run every streamlet of the application in this JVM when none is chosen. Also on when
   * the 'local' profile is active.
   */
  private boolean local;

  /** Settings per streamlet, by streamlet name. */
  private Map<String, Streamlet> streamlets = new LinkedHashMap<>();

  /**
   * Flink configuration passed through as is, for example
   * cloudflow.flink.parallelism.default=2 or cloudflow.flink.execution.checkpointing.interval=10s.
   */
  private Map<String, String> flink = new LinkedHashMap<>();

  /**
   * How streamlets write to their outlets unless a streamlet says otherwise: at-least-once, or
   * exactly-once with Kafka transactions committed on checkpoints (consumers then read committed
   * records only).
   */
  private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.AT_LEAST_ONCE;

  private final Checkpointing checkpointing = new Checkpointing();

  private final Cluster cluster = new Cluster();

  /** How long to wait for running jobs to stop (with a savepoint) when the application shuts down. */
  private Duration shutdownTimeout = Duration.ofSeconds(30);

  /**
   * Stop the application this long after every streamlet's job is running, exiting 0 if they all
   * still run then and 1 otherwise: a training run that records the classes of a running application
   * for class data sharing (-XX:ArchiveClassesAtExit), or a smoke test. Unset: run until stopped.
   */
  private Duration exitAfter;

  /**
   * Verify the blueprint against the streamlets' shapes, print the result and exit (0 valid, 1
   * invalid) without running anything: `--cloudflow.verify` for text, `--cloudflow.verify=json`.
   */
  private String verify;

  /**
   * Print every streamlet with its shape, schemas, config parameters and topics, then exit:
   * `--cloudflow.describe` for text, `--cloudflow.describe=json`.
   */
  private String describe;

  private final EmbeddedKafka embeddedKafka = new EmbeddedKafka();

  private final BlueprintSettings blueprint = new BlueprintSettings();

  private final Kafka kafka = new Kafka();

  private final Health health = new Health();

  public Kafka getKafka() {
    return kafka;
  }

  public Health getHealth() {
    return health;
  }

  /** When the liveness and readiness probes count a streamlet's job as down (README, "Health and metrics"). */
  public static class Health {

    /**
     * Liveness is DOWN once a job restarted more than this many times within restart-window (a restart
     * loop); with the default restart strategy that is about 30 s into a loop, long before the strategy
     * gives up after 10 attempts. Default 5.
     */
    private int maxRestarts = StreamletOptions.HEALTH_MAX_RESTARTS.defaultValue();

    /** The sliding window in which restarts are counted for max-restarts. Default 5 min. */
    private Duration restartWindow = StreamletOptions.HEALTH_RESTART_WINDOW.defaultValue();

    /**
     * After a restart, readiness stays DOWN until every task has run this long without another restart,
     * so that a restart loop reads DOWN instead of flapping. Default 30 s.
     */
    private Duration settleTime = StreamletOptions.HEALTH_SETTLE_TIME.defaultValue();

    /**
     * Liveness is DOWN when a job with checkpointing on has run this long (and at least two checkpoint
     * intervals) without completing a checkpoint; readiness stays UP. Default 5 min.
     */
    private Duration checkpointStall = StreamletOptions.HEALTH_CHECKPOINT_STALL.defaultValue();

    public int getMaxRestarts() {
      return maxRestarts;
    }

    public void setMaxRestarts(int maxRestarts) {
      this.maxRestarts = maxRestarts;
    }

    public Duration getRestartWindow() {
      return restartWindow;
    }

    public void setRestartWindow(Duration restartWindow) {
      this.restartWindow = restartWindow;
    }

    public Duration getSettleTime() {
      return settleTime;
    }

    public void setSettleTime(Duration settleTime) {
      this.settleTime = settleTime;
    }

    public Duration getCheckpointStall() {
      return checkpointStall;
    }

    public void setCheckpointStall(Duration checkpointStall) {
      this.checkpointStall = checkpointStall;
    }
  }

  public String getStreamlet() {
    return streamlet;
  }

  public void setStreamlet(String streamlet) {
    this.streamlet = streamlet;
  }

  public String getApplicationId() {
    return applicationId;
  }

  public void setApplicationId(String applicationId) {
    this.applicationId = applicationId;
  }

  public boolean isLocal() {
    return local;
  }

  public void setLocal(boolean local) {
    this.local = local;
  }

  public Map<String, Streamlet> getStreamlets() {
    return streamlets;
  }

  public void setStreamlets(Map<String, Streamlet> streamlets) {
    this.streamlets = streamlets;
  }

  public Map<String, String> getFlink() {
    return flink;
  }

  public void setFlink(Map<String, String> flink) {
    this.flink = flink;
  }

  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  public Duration getExitAfter() {
    return exitAfter;
  }

  public void setExitAfter(Duration exitAfter) {
    this.exitAfter = exitAfter;
  }

  public EmbeddedKafka getEmbeddedKafka() {
    return embeddedKafka;
  }

  public DeliveryGuarantee getDeliveryGuarantee() {
    return deliveryGuarantee;
  }

  public void setDeliveryGuarantee(DeliveryGuarantee deliveryGuarantee) {
    this.deliveryGuarantee = deliveryGuarantee;
  }

  public Checkpointing getCheckpointing() {
    return checkpointing;
  }

  public Cluster getCluster() {
    return cluster;
  }

  public BlueprintSettings getBlueprint() {
    return blueprint;
  }

  public String getVerify() {
    return verify;
  }

  public void setVerify(String verify) {
    this.verify = verify;
  }

  public String getDescribe() {
    return describe;
  }

  public void setDescribe(String describe) {
    this.describe = describe;
  }

  /** Settings of one streamlet. */
  public static class Streamlet {

    /** Settings per port of the streamlet, by port name; a topic set here wins over the blueprint's. */
    private Map<String, Port> ports = new LinkedHashMap<>();

    /** Values of the config parameters the streamlet declares, by key. */
    private Map<String, String> configParameters = new LinkedHashMap<>();

    /** Delivery guarantee of this streamlet's outlets, instead of cloudflow.delivery-guarantee. */
    private DeliveryGuarantee deliveryGuarantee;

    /**
     * Parallelism of this streamlet's job (its scale): at most the partitions of its inlets' topics
     * is useful; on a cluster, the task slots it takes.
     */
    private Integer parallelism;

    public Integer getParallelism() {
      return parallelism;
    }

    public void setParallelism(Integer parallelism) {
      this.parallelism = parallelism;
    }

    private final Checkpointing checkpointing = new Checkpointing();

    /**
     * A savepoint or retained checkpoint (path or Flink file system URI) to start this streamlet's job
     * from, instead of its newest checkpoint (java -jar, remote mode) or the Flink cluster's
     * execution.state-recovery.path (application mode). It is restored without taking ownership, so
     * it stays for a later roll-back.
     */
    private String restoreFrom;

    /**
     * Start even when the restore point holds state that no operator of the job claims (an operator
     * removed, or its uid changed): that state is dropped. Off: such a start is refused.
     */
    private boolean allowNonRestoredState;

    public String getRestoreFrom() {
      return restoreFrom;
    }

    public void setRestoreFrom(String restoreFrom) {
      this.restoreFrom = restoreFrom;
    }

    public boolean isAllowNonRestoredState() {
      return allowNonRestoredState;
    }

    public void setAllowNonRestoredState(boolean allowNonRestoredState) {
      this.allowNonRestoredState = allowNonRestoredState;
    }

    public DeliveryGuarantee getDeliveryGuarantee() {
      return deliveryGuarantee;
    }

    public void setDeliveryGuarantee(DeliveryGuarantee deliveryGuarantee) {
      this.deliveryGuarantee = deliveryGuarantee;
    }

    /** Checkpointing of this streamlet's job, over cloudflow.checkpointing. */
    public Checkpointing getCheckpointing() {
      return checkpointing;
    }

    public Map<String, String> getConfigParameters() {
      return configParameters;
    }

    public void setConfigParameters(Map<String, String> configParameters) {
      this.configParameters = configParameters;
    }

    public Map<String, Port> getPorts() {
      return ports;
    }

    public void setPorts(Map<String, Port> ports) {
      this.ports = ports;
    }
  }

  /** Settings of one port of a streamlet. */
  public static class Port {

    /** Kafka topic the port reads from (inlet) or writes to (outlet). */
    private String topic;

    /**
     * What an inlet does with a record it cannot decode: skip (log and count, the default), fail
     * (the job fails and the record stays unconsumed) or dead-letter (write its bytes to the
     * dead-letter topic, and count).
     */
    private BadRecordHandling.Policy badRecords = BadRecordHandling.Policy.SKIP;

    /** Topic of the dead-letter policy; defaults to the inlet's topic followed by '.dead-letter'. */
    private String deadLetterTopic;

    public BadRecordHandling.Policy getBadRecords() {
      return badRecords;
    }

    public void setBadRecords(BadRecordHandling.Policy badRecords) {
      this.badRecords = badRecords;
    }

    public String getDeadLetterTopic() {
      return deadLetterTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
      this.deadLetterTopic = deadLetterTopic;
    }

    public String getTopic() {
      return topic;
    }

    public void setTopic(String topic) {
      this.topic = topic;
    }
  }

  /** The in-process broker started when no Kafka bootstrap servers are configured. */
  public static class EmbeddedKafka {

    /**
     * Whether to start an in-process Kafka broker (for local use only) when
     * spring.kafka.bootstrap-servers is not set and spring-kafka-test is on the classpath.
     */
    private boolean enabled = true;

    /** Number of partitions of each topic the embedded broker creates. */
    private int partitions = 2;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getPartitions() {
      return partitions;
    }

    public void setPartitions(int partitions) {
      this.partitions = partitions;
    }
  }

  /**
   * The blueprint: streamlets by name and the topics that connect them. Read from
   * cloudflow.blueprint.streamlets/topics when set, otherwise from the file at
   * cloudflow.blueprint.location.
   */
  public static class BlueprintSettings {

    /**
     * Where the blueprint file is: a classpath: or file: resource, or a path. Without a location a
     * blueprint.conf at the root of the class path is used if there is one.
     */
    private String location;

    /** Whether an outlet connected to no topic is an error instead of a warning. */
    private boolean strict;

    /** Streamlets by name in the blueprint: the bean name or class name of each. */
    private Map<String, String> streamlets = new LinkedHashMap<>();

    /** Topics by key, each with its producers and consumers. */
    private Map<String, TopicSettings> topics = new LinkedHashMap<>();

    public String getLocation() {
      return location;
    }

    public void setLocation(String location) {
      this.location = location;
    }

    public boolean isStrict() {
      return strict;
    }

    public void setStrict(boolean strict) {
      this.strict = strict;
    }

    public Map<String, String> getStreamlets() {
      return streamlets;
    }

    public void setStreamlets(Map<String, String> streamlets) {
      this.streamlets = streamlets;
    }

    public Map<String, TopicSettings> getTopics() {
      return topics;
    }

    public void setTopics(Map<String, TopicSettings> topics) {
      this.topics = topics;
    }
  }

  /** A topic of a blueprint defined in properties. */
  public static class TopicSettings {

    /** Kafka topic name, when it differs from the topic's key. */
    private String name;

    /** Outlets writing to the topic, as streamlet.port. */
    private List<String> producers = new ArrayList<>();

    /** Inlets reading from the topic, as streamlet.port. */
    private List<String> consumers = new ArrayList<>();

    /** Whether the topic is also written or read outside this blueprint. */
    private boolean external;

    /** Partitions to create the topic with and the least it must have; 0 for the broker's default. */
    private int partitions;

    /** Replicas to create the topic with; 0 for the broker's default. */
    private int replicas;

    /** Whether the application creates the topic when it is missing; an unmanaged topic must exist. */
    private boolean managed = true;

    /** The Kafka cluster the topic lives on: a name under cloudflow.kafka.clusters, or 'default' (spring.kafka.*). */
    private String cluster;

    /** Topic-level configs to create the topic with (retention.ms, cleanup.policy, ...); 'name' sets the Kafka name. */
    private Map<String, String> topic = new LinkedHashMap<>();

    /** Kafka producer settings of the sinks writing this topic, over the cluster's. */
    private Map<String, String> producerConfig = new LinkedHashMap<>();

    /** Kafka consumer settings of the sources reading this topic, over the cluster's. */
    private Map<String, String> consumerConfig = new LinkedHashMap<>();

    /** Kafka client settings of every client reaching this topic, over the cluster's (bootstrap.servers included). */
    private Map<String, String> connectionConfig = new LinkedHashMap<>();

    public int getReplicas() {
      return replicas;
    }

    public void setReplicas(int replicas) {
      this.replicas = replicas;
    }

    public boolean isManaged() {
      return managed;
    }

    public void setManaged(boolean managed) {
      this.managed = managed;
    }

    public String getCluster() {
      return cluster;
    }

    public void setCluster(String cluster) {
      this.cluster = cluster;
    }

    public Map<String, String> getTopic() {
      return topic;
    }

    public void setTopic(Map<String, String> topic) {
      this.topic = topic;
    }

    public Map<String, String> getProducerConfig() {
      return producerConfig;
    }

    public void setProducerConfig(Map<String, String> producerConfig) {
      this.producerConfig = producerConfig;
    }

    public Map<String, String> getConsumerConfig() {
      return consumerConfig;
    }

    public void setConsumerConfig(Map<String, String> consumerConfig) {
      this.consumerConfig = consumerConfig;
    }

    public Map<String, String> getConnectionConfig() {
      return connectionConfig;
    }

    public void setConnectionConfig(Map<String, String> connectionConfig) {
      this.connectionConfig = connectionConfig;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public List<String> getProducers() {
      return producers;
    }

    public void setProducers(List<String> producers) {
      this.producers = producers;
    }

    public List<String> getConsumers() {
      return consumers;
    }

    public void setConsumers(List<String> consumers) {
      this.consumers = consumers;
    }

    public boolean isExternal() {
      return external;
    }

    public void setExternal(boolean external) {
      this.external = external;
    }

    public int getPartitions() {
      return partitions;
    }

    public void setPartitions(int partitions) {
      this.partitions = partitions;
    }
  }

  /**
   * Kafka clusters besides the default one (spring.kafka.*), by name, for blueprint topics that say
   * cluster = name. Each has Spring Boot's spring.kafka shape: bootstrap-servers, security.*, ssl.*,
   * properties.*, and consumer/producer/admin.* per client type.
   */
  public static class Kafka {

    /** Named Kafka clusters, each configured like spring.kafka (bootstrap-servers, security, ssl, properties). */
    private Map<String, KafkaProperties> clusters = new LinkedHashMap<>();

    public Map<String, KafkaProperties> getClusters() {
      return clusters;
    }

    public void setClusters(Map<String, KafkaProperties> clusters) {
      this.clusters = clusters;
    }
  }

  /**
   * Checkpointing of the streamlets' jobs. Checkpoints commit Kafka offsets and, for exactly-once,
   * transactions; retained ones let a restarted process resume its state. Unset values are Flink's
   * defaults, except the interval (10s) and the directory (see below).
   */
  public static class Checkpointing {

    /** Time between checkpoints. */
    private Duration interval;

    /** How long a checkpoint may take before it is aborted. */
    private Duration timeout;

    /** Least time between the end of one checkpoint and the start of the next. */
    private Duration minPause;

    /** Where state lives between checkpoints: hashmap (heap) or rocksdb (disk, for large state). */
    private String stateBackend;

    /**
     * Where checkpoints and savepoints are written: a path or any Flink file system URI; in a pod,
     * a mounted volume. Default: ./checkpoints, or a temporary directory with the embedded broker
     * (whose data does not outlive the JVM either).
     */
    private String directory;

    /** How many completed checkpoints to keep. */
    private Integer retained;

    /**
     * Time between periodic savepoints of a running job (java -jar, remote mode), in the streamlet's
     * savepoint directory. Unset (the default): savepoints are taken on stop and on request only.
     */
    private Duration savepointInterval;

    /**
     * How many savepoints to keep in the streamlet's savepoint directory (the newest); older ones are
     * deleted at startup and after each savepoint. Default: 5.
     */
    private Integer savepointsRetained;

    /**
     * Checkpoints of earlier runs and savepoints older than this are deleted from the streamlet's
     * directory. The one a restart would resume from is always kept. Unset: only the counts apply.
     */
    private Duration maxAge;

    public Duration getSavepointInterval() {
      return savepointInterval;
    }

    public void setSavepointInterval(Duration savepointInterval) {
      this.savepointInterval = savepointInterval;
    }

    public Integer getSavepointsRetained() {
      return savepointsRetained;
    }

    public void setSavepointsRetained(Integer savepointsRetained) {
      this.savepointsRetained = savepointsRetained;
    }

    public Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }

    /**
     * Whether a streamlet started with java -jar or in remote mode resumes from the newest complete
     * checkpoint or savepoint in its checkpoint directory (unless it has a restore-from). Inside a
     * Flink application cluster the cluster's restore path decides and this is not used.
     */
    private boolean resumeFromNewest = true;

    public boolean isResumeFromNewest() {
      return resumeFromNewest;
    }

    public void setResumeFromNewest(boolean resumeFromNewest) {
      this.resumeFromNewest = resumeFromNewest;
    }

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public Duration getMinPause() {
      return minPause;
    }

    public void setMinPause(Duration minPause) {
      this.minPause = minPause;
    }

    public String getStateBackend() {
      return stateBackend;
    }

    public void setStateBackend(String stateBackend) {
      this.stateBackend = stateBackend;
    }

    public String getDirectory() {
      return directory;
    }

    public void setDirectory(String directory) {
      this.directory = directory;
    }

    public Integer getRetained() {
      return retained;
    }

    public void setRetained(Integer retained) {
      this.retained = retained;
    }

    /** The Flink configuration keys of the values that are set. */
    public Map<String, String> toFlinkSettings() {
      Map<String, String> settings = new LinkedHashMap<>();
      if (interval != null) {
        settings.put("execution.checkpointing.interval", interval.toMillis() + " ms");
      }
      if (timeout != null) {
        settings.put("execution.checkpointing.timeout", timeout.toMillis() + " ms");
      }
      if (minPause != null) {
        settings.put("execution.checkpointing.min-pause", minPause.toMillis() + " ms");
      }
      if (stateBackend != null) {
        settings.put("state.backend.type", stateBackend);
      }
      if (directory != null) {
        settings.put("execution.checkpointing.dir", directory);
      }
      if (retained != null) {
        settings.put("execution.checkpointing.num-retained", String.valueOf(retained));
      }
      if (savepointInterval != null) {
        settings.put(StreamletOptions.SAVEPOINT_INTERVAL.key(), savepointInterval.toMillis() + " ms");
      }
      if (savepointsRetained != null) {
        settings.put(StreamletOptions.SAVEPOINTS_RETAINED.key(), String.valueOf(savepointsRetained));
      }
      if (maxAge != null) {
        settings.put(StreamletOptions.RETENTION_MAX_AGE.key(), maxAge.toMillis() + " ms");
      }
      return settings;
    }
  }

  /** Where the streamlets' jobs run. */
  public static class Cluster {

    /**
     * REST address (host:port) of the job manager of a Flink session cluster to submit the jobs to,
     * shipping the application's jars; empty runs each job in this JVM.
     */
    private String address;

    /**
     * Directory where the jars shipped to the session cluster are kept across restarts, named for
     * their content (a restart of the same build writes nothing); empty for cloudflow-flink-job-jars
     * in the temporary directory (java.io.tmpdir).
     */
    private Path jarCache;

    public String getAddress() {
      return address;
    }

    public void setAddress(String address) {
      this.address = address;
    }

    public Path getJarCache() {
      return jarCache;
    }

    public void setJarCache(Path jarCache) {
      this.jarCache = jarCache;
    }
  }
}
