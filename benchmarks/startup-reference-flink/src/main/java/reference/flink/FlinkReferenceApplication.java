package reference.flink;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample's processor job written by hand in a Spring Boot web + actuator application, without
 * cloudflow-flink: what the same job costs to start without the starter, timed by StartupComparison.
 */
@SpringBootApplication
public class FlinkReferenceApplication {

  public static void main(String[] args) {
    SpringApplication.run(FlinkReferenceApplication.class, args);
  }
}
