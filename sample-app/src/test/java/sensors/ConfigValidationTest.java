package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static sensors.ManifestChecks.CONFIG;

import com.google.gson.JsonObject;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the deployment configuration in {@code config/}:
 *
 * <ul>
 *   <li>{@code config/kubernetes} and {@code config/flink} are exactly what {@code --cloudflow.manifests}
 *       generates for the sample (profiles {@code kubernetes}, and {@code kubernetes,flink});
 *   <li>{@code config/validate.sh} passes (kubectl decodes and dry-run-applies every manifest,
 *       promtool checks the Prometheus configurations); skipped when kubectl or promtool is missing,
 *       and the kubectl dry run alone runs when only kubectl is there;
 *   <li>every Kubernetes object matches the Kubernetes API types of the official Java client's
 *       generated models (unknown or misspelt fields at any depth, missing required fields, wrong
 *       value types), and each FlinkDeployment matches the operator's CRD fields
 *       ({@code config/schemas/flinkdeployment-v1beta1.schema.json}) with its Pod templates checked
 *       as Pods;
 *   <li>the objects fit together: one Deployment (plain) and one FlinkDeployment (flink) per streamlet
 *       of the blueprint, probes on the actuator groups, the ConfigMap and claims they name exist,
 *       parallelism fits the task slots, every object carries the application's labels, and none holds
 *       a secret.
 * </ul>
 */
class ConfigValidationTest {

  private static final Path KUBERNETES = CONFIG.resolve("kubernetes");
  private static final Path FLINK = CONFIG.resolve("flink");

  @Test
  void manifestsAreWhatTheCommandGenerates(@TempDir Path generated) throws Exception {
    assertSameFiles(SampleManifests.generate(generated.resolve("kubernetes"), "kubernetes"), KUBERNETES);
    assertSameFiles(SampleManifests.generate(generated.resolve("flink"), "kubernetes,flink"), FLINK);
  }

  @Test
  void validateScriptPasses() throws Exception {
    assumeTrue(ManifestChecks.onPath("kubectl") && ManifestChecks.onPath("promtool"), "kubectl and promtool are needed (see config/README.md)");
    Path log = Files.createTempFile("validate", ".log");
    Process process = new ProcessBuilder("bash", CONFIG.resolve("validate.sh").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(180, TimeUnit.SECONDS);
    process.destroyForcibly();
    String output = Files.readString(log);
    Files.delete(log);
    assertThat(finished).as("validate.sh finished within 180 s; its output:\n%s", output).isTrue();
    System.out.println(output);
    assertThat(process.exitValue()).as("exit code of validate.sh; its output:\n%s", output).isZero();
    assertThat(output).contains("created (dry run)").contains("config/ is valid");
  }

  @Test
  void kubectlDryRunAcceptsEachMode() throws Exception {
    assumeTrue(ManifestChecks.onPath("kubectl") && ManifestChecks.onPath("python3"), "kubectl and python3 are needed");
    for (Path folder : List.of(KUBERNETES, FLINK)) {
      String output = ManifestChecks.kubectlDryRun(ManifestChecks.yamlFiles(folder));
      assertThat(output.lines().filter(l -> l.endsWith("created (dry run)")).count())
          .as("objects created (dry run) from %s:\n%s", folder, output).isEqualTo(ManifestChecks.documents(folder).size());
    }
  }

  @TestFactory
  Stream<DynamicTest> manifestsMatchTheirSchemas() throws Exception {
    return ManifestChecks.documents(KUBERNETES, FLINK).entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(),
        () -> assertThat(ManifestChecks.schemaErrors(entry.getValue())).as("schema errors of %s", entry.getKey()).isEmpty()));
  }

  @Test
  void streamletDeploymentsFitTogether() throws Exception {
    Map<String, JsonObject> documents = ManifestChecks.documents(KUBERNETES);
    assertThat(ManifestChecks.checkPlainDeployments(documents, streamlets())).as("streamlets with a Deployment").isEqualTo(streamlets());
  }

  @Test
  void flinkDeploymentsFitTheirSlots() throws Exception {
    Map<String, JsonObject> documents = ManifestChecks.documents(FLINK);
    assertThat(ManifestChecks.checkFlinkDeployments(documents, streamlets())).as("streamlets with a FlinkDeployment").isEqualTo(streamlets());
    JsonObject processor = ManifestChecks.ofKind(documents, "FlinkDeployment").stream()
        .filter(d -> d.getAsJsonObject("metadata").get("name").getAsString().equals("sensor-pipeline-processor")).findFirst().orElseThrow();
    assertThat(processor.getAsJsonObject("spec").getAsJsonObject("job").get("parallelism").getAsInt())
        .as("the processor's parallelism from the flink profile").isEqualTo(2);
    for (JsonObject flink : ManifestChecks.ofKind(documents, "FlinkDeployment")) {
      JsonObject spec = flink.getAsJsonObject("spec");
      List<String> args = new com.google.gson.Gson().fromJson(spec.getAsJsonObject("job").get("args"), List.class);
      // inside a Flink application cluster the cluster's settings win: repeating them in the args would override them
      assertThat(args).as("checkpointing and parallelism are the deployment's, not the application's")
          .noneMatch(a -> a.startsWith("--cloudflow.checkpointing.") || a.startsWith("--cloudflow.flink."));
      assertThat(spec.getAsJsonObject("flinkConfiguration").keySet()).as("what the deployment decides")
          .contains("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "execution.checkpointing.interval",
              "metrics.reporter.cloudflow.factory.class", "metrics.reporter.cloudflow.application");
    }
  }

  @Test
  void everyObjectCarriesTheApplicationsLabelsAndNoSecret() throws Exception {
    Map<String, JsonObject> documents = ManifestChecks.documents(KUBERNETES, FLINK);
    ManifestChecks.checkLabels(documents, "sensor-pipeline");
    ManifestChecks.checkNoSecrets(documents);
  }

  private static Set<String> streamlets() {
    return ConfigFactory.parseResources("blueprint.conf").getConfig("blueprint.streamlets").root().keySet();
  }

  private static void assertSameFiles(Path generated, Path committed) throws Exception {
    List<String> names = ManifestChecks.yamlFiles(generated).stream().map(p -> p.getFileName().toString()).toList();
    assertThat(ManifestChecks.yamlFiles(committed).stream().map(p -> p.getFileName().toString()))
        .as("files in %s (regenerate: see config/README.md)", committed).containsExactlyElementsOf(names);
    for (String name : names) {
      assertThat(Files.readString(committed.resolve(name)))
          .as("%s/%s differs from what --cloudflow.manifests generates (regenerate: see config/README.md)", committed, name)
          .isEqualTo(Files.readString(generated.resolve(name)));
    }
  }
}
