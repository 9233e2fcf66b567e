package cloudflow.flink.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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

  /** How long to wait for running jobs to stop when the application shuts down. */
  private Duration shutdownTimeout = Duration.ofSeconds(30);

  private final EmbeddedKafka embeddedKafka = new EmbeddedKafka();

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

  public EmbeddedKafka getEmbeddedKafka() {
    return embeddedKafka;
  }

  /** Settings of one streamlet. */
  public static class Streamlet {

    /** Settings per port of the streamlet, by port name. */
    private Map<String, Port> ports = new LinkedHashMap<>();

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
}
