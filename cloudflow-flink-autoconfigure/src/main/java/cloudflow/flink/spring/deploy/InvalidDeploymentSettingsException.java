package cloudflow.flink.spring.deploy;

/** A {@code cloudflow.deployment.*} value that cannot be deployed; the message names the property. */
public class InvalidDeploymentSettingsException extends RuntimeException {

  private final String property;

  /** A bad value of {@code property}, with what is wrong and what is allowed. */
  public InvalidDeploymentSettingsException(String property, String problem) {
    super(property + ": " + problem);
    this.property = property;
  }

  /** The full name of the property at fault. */
  public String getProperty() {
    return property;
  }
}
