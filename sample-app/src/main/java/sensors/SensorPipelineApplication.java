package sensors;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A sensor pipeline of three streamlets: {@code ingress} generates readings, {@code processor} keeps
 * running statistics per sensor, {@code egress} logs them. Run one with {@code --streamlet=name}, or
 * all of them with the {@code local} profile.
 */
@SpringBootApplication
public class SensorPipelineApplication {

  public static void main(String[] args) {
    SpringApplication.run(SensorPipelineApplication.class, args);
  }
}
