package reference;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A trivial Spring Boot web + actuator application: the floor a Boot 4 jar starts in on this machine. */
@SpringBootApplication
public class ReferenceApplication {

  public static void main(String[] args) {
    SpringApplication.run(ReferenceApplication.class, args);
  }
}
