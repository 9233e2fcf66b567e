package sensors;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.spring.command.StreamletCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Runs {@code --cloudflow.manifests} of the sample application in this JVM: its configuration class,
 * its {@code application*.yml} with the given profiles, and its streamlets; only the runner that would
 * exit the JVM is left out (an {@link ApplicationContextRunner} does not call runners).
 */
final class SampleManifests {

  private SampleManifests() {}

  /** Generates into {@code folder} with the profiles active and further properties; returns the folder. */
  static Path generate(Path folder, String profiles, String... properties) {
    List<String> values = new ArrayList<>(List.of("spring.profiles.active=" + profiles, "cloudflow.manifests=" + folder));
    values.addAll(List.of(properties));
    new ApplicationContextRunner()
        .withInitializer(new ConfigDataApplicationContextInitializer())
        .withUserConfiguration(SensorPipelineApplication.class)
        .withPropertyValues(values.toArray(String[]::new))
        .run(context -> {
          assertThat(context).hasNotFailed();
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          int code;
          try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            code = context.getBean(StreamletCommands.class).execute(out);
          }
          assertThat(code).as("exit code of --cloudflow.manifests; output:\n%s", bytes.toString(StandardCharsets.UTF_8)).isZero();
        });
    return folder;
  }
}
