package cloudflow.flink.spring.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the manifests need to know about the application besides the deployment settings.
 *
 * @param id the application id (cloudflow.application-id, else spring.application.name): object names
 *     and the {@code app.kubernetes.io/part-of} label
 * @param mainClass the application's main class, the job's entry point in flink mode
 * @param kafkaEnv the application's non-secret {@code spring.kafka.*} settings as environment variables
 * @param profiles the Spring profiles active while generating, activated in the pods too
 * @param shutdownTimeout how long a streamlet may take to stop with a savepoint on SIGTERM
 */
public record ApplicationFacts(
    String id, String mainClass, Map<String, String> kafkaEnv, List<String> profiles, Duration shutdownTimeout) {

  /** Copies the collections. */
  public ApplicationFacts {
    kafkaEnv = Map.copyOf(kafkaEnv);
    profiles = List.copyOf(profiles);
  }
}
