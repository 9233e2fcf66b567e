package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cloudflow.manifests} for a second application of six streamlets
 * ({@code manifests/sensor-fleet.conf}: two instances each of two classes, a topic fed from outside,
 * exactly-once on one streamlet), generated in both modes with per-streamlet overrides of most
 * settings, and put through the checks of the sample's {@code config/}: kubectl's client dry run,
 * the Kubernetes and FlinkDeployment schemas, every streamlet's objects, labels, and no secrets.
 */
class GeneratedManifestsTest {

  private static final Set<String> STREAMLETS =
      Set.of("ingress-north", "ingress-south", "stats", "partner-stats", "log-summaries", "log-partner-summaries");

  private static final String[] SETTINGS = {
      "spring.application.name=sensor-fleet",
      "cloudflow.blueprint.location=classpath:manifests/sensor-fleet.conf",
      "spring.kafka.bootstrap-servers=kafka.fleet.svc:9093",
      "spring.kafka.security.protocol=SASL_SSL",
      "spring.kafka.properties[sasl.mechanism]=SCRAM-SHA-512",
      "spring.kafka.properties[sasl.jaas.config]=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
      "spring.kafka.ssl.trust-store-password=changeit",
      "cloudflow.streamlets.stats.delivery-guarantee=exactly-once",
      "cloudflow.streamlets.stats.parallelism=4",
      "cloudflow.deployment.image=registry.example.com/fleet:2.1",
      "cloudflow.deployment.flink-image=registry.example.com/fleet-flink:2.1",
      "cloudflow.deployment.labels.team=fleet",
      "cloudflow.deployment.env.TZ=UTC",
      "cloudflow.deployment.node-selector.pool=streaming",
      "cloudflow.deployment.tolerations[0].key=dedicated",
      "cloudflow.deployment.tolerations[0].operator=Equal",
      "cloudflow.deployment.tolerations[0].value=streaming",
      "cloudflow.deployment.tolerations[0].effect=NoSchedule",
      "cloudflow.deployment.volumes.truststore.secret=fleet-truststore",
      "cloudflow.deployment.volumes.truststore.mount-path=/etc/kafka-tls",
      "cloudflow.deployment.streamlets.stats.memory-limit=2Gi",
      "cloudflow.deployment.streamlets.stats.cpu-request=2",
      "cloudflow.deployment.streamlets.stats.task-slots=2",
      "cloudflow.deployment.streamlets.stats.env.STATS_WINDOW=60s",
      "cloudflow.deployment.streamlets.stats.annotations[example.com/owner]=stats-team",
      "cloudflow.deployment.streamlets.partner-stats.service-account=partner-reader",
      "cloudflow.deployment.streamlets.partner-stats.checkpoints.uri=s3://fleet-state/checkpoints",
      "cloudflow.deployment.streamlets.partner-stats.volumes.rules.config-map=partner-rules",
      "cloudflow.deployment.streamlets.partner-stats.volumes.rules.mount-path=/etc/rules",
      "cloudflow.deployment.streamlets.log-summaries.checkpoints.shared=true",
      "cloudflow.deployment.streamlets.log-partner-summaries.checkpoints.shared=true",
      "cloudflow.deployment.streamlets.log-partner-summaries.labels.tier=bronze",
  };

  @TempDir
  static Path work;
  private static Path plain;
  private static Path flink;
  private static Path mixed;

  @BeforeAll
  static void generate() {
    // no profile: the sample's application.yml only, and the settings above
    plain = SampleManifests.generate(work.resolve("plain"), "default", SETTINGS);
    flink = SampleManifests.generate(work.resolve("flink"), "default", with("cloudflow.deployment.mode=flink"));
    mixed = SampleManifests.generate(work.resolve("mixed"), "default",
        with("cloudflow.deployment.streamlets.stats.mode=flink", "cloudflow.deployment.streamlets.partner-stats.mode=flink"));
  }

  @Test
  void kubectlDryRunCreatesEveryObject() throws Exception {
    assumeTrue(ManifestChecks.onPath("kubectl") && ManifestChecks.onPath("python3"), "kubectl and python3 are needed");
    for (Path folder : List.of(plain, flink, mixed)) {
      String output = ManifestChecks.kubectlDryRun(ManifestChecks.yamlFiles(folder));
      assertThat(output.lines().filter(l -> l.endsWith("created (dry run)")).count())
          .as("objects created (dry run) from %s:\n%s", folder, output).isEqualTo(ManifestChecks.documents(folder).size());
    }
  }

  @TestFactory
  Stream<DynamicTest> everyObjectMatchesItsSchema() throws Exception {
    return Stream.of(plain, flink, mixed).flatMap(folder -> {
      try {
        return ManifestChecks.documents(folder).entrySet().stream();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).map(entry -> DynamicTest.dynamicTest(entry.getKey(),
        () -> assertThat(ManifestChecks.schemaErrors(entry.getValue())).as("schema errors of %s", entry.getKey()).isEmpty()));
  }

  @Test
  void everyStreamletHasItsObjectsInEachMode() throws Exception {
    assertThat(ManifestChecks.checkPlainDeployments(ManifestChecks.documents(plain), STREAMLETS)).isEqualTo(STREAMLETS);
    assertThat(ManifestChecks.checkFlinkDeployments(ManifestChecks.documents(flink), STREAMLETS)).isEqualTo(STREAMLETS);
    Map<String, JsonObject> mixedDocuments = ManifestChecks.documents(mixed);
    Set<String> deployed = new HashSet<>(ManifestChecks.checkPlainDeployments(mixedDocuments, STREAMLETS));
    Set<String> flinkDeployed = ManifestChecks.checkFlinkDeployments(mixedDocuments, STREAMLETS);
    assertThat(flinkDeployed).containsExactlyInAnyOrder("stats", "partner-stats");
    deployed.addAll(flinkDeployed);
    assertThat(deployed).isEqualTo(STREAMLETS);
  }

  @Test
  void everyObjectCarriesTheLabelsAndNoSecret() throws Exception {
    for (Path folder : List.of(plain, flink, mixed)) {
      Map<String, JsonObject> documents = ManifestChecks.documents(folder);
      ManifestChecks.checkLabels(documents, "sensor-fleet");
      documents.forEach((key, object) -> assertThat(object.getAsJsonObject("metadata").getAsJsonObject("labels").get("team").getAsString())
          .as(key).isEqualTo("fleet"));
      ManifestChecks.checkNoSecrets(documents);
    }
  }

  @Test
  void settingsOfEachStreamletReachItsObjects() throws Exception {
    Map<String, JsonObject> documents = ManifestChecks.documents(mixed);
    JsonObject stats = named(documents, "FlinkDeployment", "sensor-fleet-stats").getAsJsonObject("spec");
    assertThat(stats.getAsJsonObject("job").get("parallelism").getAsInt()).isEqualTo(4);
    assertThat(stats.getAsJsonObject("taskManager").get("replicas").getAsInt()).isEqualTo(2);
    assertThat(stats.getAsJsonObject("taskManager").getAsJsonObject("resource").get("memory").getAsString()).isEqualTo("2048m");
    assertThat(stats.getAsJsonObject("flinkConfiguration").get("execution.checkpointing.interval").getAsString())
        .as("exactly-once checkpoints every second").isEqualTo("1 s");
    JsonObject partner = named(documents, "FlinkDeployment", "sensor-fleet-partner-stats").getAsJsonObject("spec");
    assertThat(partner.get("serviceAccount").getAsString()).isEqualTo("partner-reader");
    assertThat(partner.getAsJsonObject("flinkConfiguration").get("execution.checkpointing.dir").getAsString())
        .isEqualTo("s3://fleet-state/checkpoints/partner-stats/checkpoints");
    assertThat(ManifestChecks.names(documents, "PersistentVolumeClaim")).containsExactlyInAnyOrder(
        "sensor-fleet-ingress-north-checkpoints", "sensor-fleet-ingress-south-checkpoints", "sensor-fleet-stats-flink-data",
        "sensor-fleet-checkpoints");
    String plainYaml = java.nio.file.Files.readString(mixed.resolve("log-partner-summaries.yaml"));
    assertThat(plainYaml).contains("claimName: sensor-fleet-checkpoints").contains("tier: bronze")
        .contains("secretName: fleet-truststore").contains("pool: streaming").contains("key: dedicated")
        .contains("image: registry.example.com/fleet:2.1");
    String shared = java.nio.file.Files.readString(mixed.resolve("00-sensor-fleet.yaml"));
    assertThat(shared).contains("SPRING_KAFKA_BOOTSTRAPSERVERS: kafka.fleet.svc:9093").contains("SPRING_KAFKA_SECURITY_PROTOCOL: SASL_SSL")
        .contains("TZ: UTC").doesNotContain("changeit").doesNotContain("ScramLoginModule");
  }

  private static JsonObject named(Map<String, JsonObject> documents, String kind, String name) {
    return ManifestChecks.ofKind(documents, kind).stream()
        .filter(d -> d.getAsJsonObject("metadata").get("name").getAsString().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
  }

  private static String[] with(String... more) {
    return Stream.concat(Stream.of(SETTINGS), Stream.of(more)).toArray(String[]::new);
  }
}
