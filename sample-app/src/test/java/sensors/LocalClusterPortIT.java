package sensors;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, run as a user would, with Flink's REST API asked for on a port another process
 * holds: the application fails to start with Spring Boot's failure analysis naming the property and
 * the port, and exits with code 1 as soon as it has stopped; Flink used to leave the failed local
 * cluster's RPC threads running, which kept the JVM alive until they failed to load classes and
 * Flink's error handler exited it with code 239.
 */
class LocalClusterPortIT {

  private final Path appJar = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));

  @Test
  void aTakenRestPortFailsTheStartNamingThePropertyAndExitsWithCode1(@TempDir Path dir) throws Exception {
    KafkaBrokerProcess broker = SharedBroker.get();
    Path log = dir.resolve("app.log");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Process app = new ProcessBuilder(List.of(AppProcess.java(), "-jar", appJar.toAbsolutePath().toString(),
          "--streamlet=processor",
          "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
          "--server.port=" + ItSupport.freePort(),
          "--spring.application.name=rest-port-taken",
          "--cloudflow.streamlets.processor.ports.in.topic=rest-port-taken-in",
          "--cloudflow.streamlets.processor.ports.out.topic=rest-port-taken-out",
          "--cloudflow.flink.rest.port=" + port))
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        assertThat(app.waitFor(120, TimeUnit.SECONDS)).as("exited").isTrue();
        String output = Files.readString(log);
        assertThat(app.exitValue()).as("exit code\n%s", ItSupport.tail("app", log, 60)).isEqualTo(1);
        assertThat(output)
            .contains("APPLICATION FAILED TO START")
            .contains("The local Flink cluster of streamlet 'processor' cannot serve Flink's REST API on rest.port "
                + port + ": the port is taken on this host")
            .contains("Set cloudflow.flink.rest.port to a free port or a range such as 8081-8090, or remove it")
            .doesNotContain("FatalExitExceptionHandler")
            .doesNotContain("NoClassDefFoundError");
      } finally {
        if (app.isAlive()) {
          app.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
        }
      }
    }
  }
}
