package cloudflow.flink.spring.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of {@code --cloudflow.manifests}, bound from {@code cloudflow.deployment.*}: the
 * application-wide defaults of every streamlet (inherited fields), the overrides of each streamlet
 * ({@code streamlets.<name>.*}) and the application's own settings.
 */
public class DeploymentSettings extends StreamletSettings {

  /** Per-streamlet overrides of the application-wide settings, by streamlet name in the blueprint. */
  private Map<String, StreamletSettings> streamlets = new LinkedHashMap<>();

  /**
   * Name of the optional Secret whose entries become environment variables of every streamlet (Kafka
   * credentials such as SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG). Referenced, never generated. Default
   * {@code <application-id>-credentials}.
   */
  private String credentialsSecret;

  /** The application's main class, the job's entry point in flink mode. Default: the @SpringBootApplication class. */
  private String mainClass;

  /** Where the application jar is inside the flink image. Default {@code local:///opt/flink/usrlib/<application-id>.jar}. */
  private String jarUri;

  /** HTTP port of plain-mode pods (probes and /actuator/prometheus); other than 8080 it is passed as SERVER_PORT. Default 8080. */
  private Integer httpPort;

  public Map<String, StreamletSettings> getStreamlets() {
    return streamlets;
  }

  public void setStreamlets(Map<String, StreamletSettings> streamlets) {
    this.streamlets = streamlets;
  }

  public String getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(String credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }

  public String getMainClass() {
    return mainClass;
  }

  public void setMainClass(String mainClass) {
    this.mainClass = mainClass;
  }

  public String getJarUri() {
    return jarUri;
  }

  public void setJarUri(String jarUri) {
    this.jarUri = jarUri;
  }

  public Integer getHttpPort() {
    return httpPort;
  }

  public void setHttpPort(Integer httpPort) {
    this.httpPort = httpPort;
  }
}
