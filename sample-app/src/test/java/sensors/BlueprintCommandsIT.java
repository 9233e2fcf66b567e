package sensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar runs {@code --cloudflow.verify} and {@code --cloudflow.describe} as commands:
 * each prints its result, exits with 0 (valid) or 1 (invalid) within seconds, and starts no job, no
 * broker and no web server. Each command runs as its own {@code java -jar} process, one after the
 * other.
 */
class BlueprintCommandsIT {

  private static final long TIMEOUT_SECONDS = 60;

  /** Errors (4) and a warning (processor.out) in one blueprint over the sample's streamlets. */
  private static final String BROKEN_BLUEPRINT = """
      blueprint {
        streamlets {
          ingress = ingress
          processor = processor
          egress = egress
          ghost = com.example.GhostStreamlet
        }
        topics {
          sensor-readings {
            producers = [ingress.out]
            consumers = [processor.input, egress.in]
          }
        }
      }
      """;

  private final Path appJar = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
  private Path workDir;

  @BeforeEach
  void workDir() throws IOException {
    assertThat(appJar).as("packaged jar (run mvn package first)").isRegularFile();
    workDir = Files.createDirectories(appJar.toAbsolutePath().getParent().resolve("blueprint-commands-it"));
  }

  @Test
  void verifyAcceptsThePackagedBlueprint() throws Exception {
    Run run = run("--cloudflow.verify");

    assertThat(run.exitCode()).as("exit code of --cloudflow.verify\n%s", run).isZero();
    assertThat(run.stdout()).as(run.toString()).contains("Blueprint is valid (0 errors, 0 warnings)");
  }

  @Test
  void verifyListsEveryProblemOfABrokenBlueprintAndExitsWithOne() throws Exception {
    Path blueprint = Files.writeString(workDir.resolve("broken-blueprint.conf"), BROKEN_BLUEPRINT);

    Run run = run("--cloudflow.verify", "--cloudflow.blueprint.location=" + blueprint.toAbsolutePath());

    assertThat(run.exitCode()).as("exit code of --cloudflow.verify\n%s", run).isOne();
    assertThat(run.stdout()).as(run.toString())
        .contains("ERROR: Streamlet 'ghost' refers to com.example.GhostStreamlet")
        .contains("ERROR: Topic 'sensor-readings' refers to unknown port 'input' of streamlet 'processor'")
        .contains("ERROR: Inlet processor.in is not connected to any topic")
        .contains("ERROR: Schema sensors.data.SensorSummary of egress.in cannot read schema sensors.data.SensorReading")
        .contains("WARNING: Outlet processor.out is not connected to any topic")
        .contains("Blueprint is invalid (4 errors, 1 warnings)");
  }

  @Test
  void verifyAsJsonReportsTheProblemsOfABrokenBlueprint() throws Exception {
    Path blueprint = Files.writeString(workDir.resolve("broken-blueprint.conf"), BROKEN_BLUEPRINT);

    Run run = run("--cloudflow.verify=json", "--cloudflow.blueprint.location=" + blueprint.toAbsolutePath());

    assertThat(run.exitCode()).as("exit code of --cloudflow.verify=json\n%s", run).isOne();
    Config json = json(run);
    assertThat(json.getBoolean("valid")).isFalse();
    assertThat(json.getInt("errors")).isEqualTo(4);
    assertThat(json.getInt("warnings")).isEqualTo(1);
    assertThat(json.getConfigList("problems")).hasSize(5);
  }

  @Test
  void describeAsJsonDescribesTheThreeStreamlets() throws Exception {
    Run run = run("--cloudflow.describe=json");

    assertThat(run.exitCode()).as("exit code of --cloudflow.describe=json\n%s", run).isZero();
    List<? extends Config> streamlets = json(run).getConfigList("streamlets");
    assertThat(streamlets).extracting(s -> s.getString("name")).containsExactly("egress", "ingress", "processor");
    Config processor = streamlets.get(2);
    assertThat(processor.getString("class")).isEqualTo("sensors.streamlets.SensorStatsProcessor");
    assertThat(processor.getConfigList("inlets").get(0).getString("topic")).isEqualTo("sensor-readings");
    assertThat(processor.getConfigList("inlets").get(0).getString("schema.name")).isEqualTo("sensors.data.SensorReading");
    assertThat(processor.getConfigList("outlets").get(0).getString("topic")).isEqualTo("sensor-summaries");
    Config threshold = processor.getConfigList("configParameters").get(0);
    assertThat(threshold.getString("key")).isEqualTo("alert-threshold");
    assertThat(threshold.getString("type")).isEqualTo("double");
    assertThat(threshold.getString("property")).isEqualTo("cloudflow.streamlets.processor.config-parameters.alert-threshold");
    assertThat(streamlets.get(1).getConfigList("configParameters"))
        .extracting(p -> p.getString("key") + "=" + p.getString("default"))
        .containsExactly("records-per-second=10.0", "sensors=5");
  }

  // --- helpers ---

  /** What one command printed and how it exited. */
  private record Run(String command, int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "---- " + command + " (exit " + exitCode + ") stdout ----\n" + stdout + "\n---- stderr ----\n" + stderr;
    }
  }

  private Run run(String... args) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", appJar.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    String name = String.join(" ", args).replace("--", "").replaceAll("[^A-Za-z0-9=.-]+", "_");
    Path stdout = workDir.resolve(name.substring(0, Math.min(name.length(), 60)) + ".out");
    Path stderr = workDir.resolve(stdout.getFileName() + ".err");
    Process process = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
    try {
      boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(exited).as("%s exited within %d s; stdout so far:\n%s", args, TIMEOUT_SECONDS, Files.readString(stdout)).isTrue();
      return new Run(String.join(" ", args), process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The JSON line of a command's output (logging may print other lines), parsed as strict JSON. */
  private static Config json(Run run) {
    String line = run.stdout().lines()
        .filter(l -> l.startsWith("{"))
        .reduce((first, second) -> {
          throw new AssertionError("more than one JSON line\n" + run);
        })
        .orElseThrow(() -> new AssertionError("no JSON line\n" + run));
    return ConfigFactory.parseString(line, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
  }
}
