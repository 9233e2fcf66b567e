package cloudflow.flink.spring.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.spring.autoconfigure.CloudflowFlinkAutoConfiguration;
import cloudflow.flink.spring.command.StreamletCommands;
import cloudflow.flink.spring.command.StreamletCommandsAutoConfiguration;
import cloudflow.flink.spring.kafka.EmbeddedKafkaAutoConfiguration;
import cloudflow.flink.spring.testsupport.ReadingProcessor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code --cloudflow.manifests} through the auto-configuration: it verifies the blueprint first, reads
 * the application's settings (parallelism, delivery guarantee, Kafka) and writes to standard output or
 * a folder. The command is executed on the bean; the runner that would exit the JVM does not run here.
 */
@SuppressWarnings("unchecked")
class ManifestsCommandTest {

  private static final String PIPELINE = "cloudflow.blueprint.location=classpath:blueprints/pipeline.conf";
  private static final String INVALID = "cloudflow.blueprint.location=classpath:blueprints/invalid.conf";

  private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(EmbeddedKafkaAutoConfiguration.class, KafkaAutoConfiguration.class,
          CloudflowFlinkAutoConfiguration.class, StreamletCommandsAutoConfiguration.class))
      .withBean("copier", FlinkStreamlet.class, ReadingProcessor::new)
      .withPropertyValues("spring.application.name=shop", PIPELINE);

  @Test
  void printsTheObjectsOfEveryStreamletOfTheBlueprintAndExitsWithZero() {
    contextRunner.withPropertyValues("cloudflow.manifests").run(context -> {
      Outcome outcome = execute(context);
      assertThat(outcome.code()).as(outcome.output()).isZero();
      List<Map<String, Object>> objects = objects(outcome.output());
      assertThat(objects).extracting(o -> o.get("kind") + "/" + ((Map<String, Object>) o.get("metadata")).get("name"))
          .contains("Deployment/shop-slow", "Deployment/shop-fast", "Deployment/shop-copier", "Service/shop-copier",
              "PersistentVolumeClaim/shop-copier-checkpoints", "ConfigMap/shop-config");
      assertThat(context).doesNotHaveBean(CloudflowFlinkAutoConfiguration.class);
    });
  }

  @Test
  void refusesAnInvalidBlueprintWithTheVerificationReport() {
    contextRunner.withPropertyValues("cloudflow.manifests", INVALID).run(context -> {
      Outcome outcome = execute(context);
      assertThat(outcome.code()).isOne();
      assertThat(outcome.output()).contains("Blueprint is invalid (3 errors, 0 warnings)").doesNotContain("kind:");
    });
  }

  @Test
  void refusesABadSettingNamingTheProperty() {
    contextRunner.withPropertyValues("cloudflow.manifests", "cloudflow.deployment.streamlets.copier.memory-limit=lots").run(context -> {
      Outcome outcome = execute(context);
      assertThat(outcome.code()).isOne();
      assertThat(outcome.output()).isEqualTo("Deployment settings are invalid: cloudflow.deployment.streamlets.copier.memory-limit: "
          + "'lots' is not a memory quantity (a number with Ki, Mi, Gi, Ti, k, M, G or T, such as 768Mi)\n");
    });
  }

  @Test
  void aValueThatDoesNotBindFailsStartupNamingTheProperty() {
    contextRunner.withPropertyValues("cloudflow.manifests", "cloudflow.deployment.mode=sideways").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("sideways")
            .satisfies(e -> assertThat(context.getStartupFailure()).hasMessageContaining("cloudflow.deployment")));
  }

  @Test
  void streamletSettingsOfTheApplicationReachTheManifests() {
    contextRunner.withPropertyValues("cloudflow.manifests", "cloudflow.deployment.mode=flink",
        "cloudflow.deployment.main-class=com.example.Shop",
        "cloudflow.streamlets.copier.parallelism=3", "cloudflow.streamlets.copier.delivery-guarantee=exactly-once",
        "cloudflow.flink.parallelism.default=2").run(context -> {
          Outcome outcome = execute(context);
          assertThat(outcome.code()).as(outcome.output()).isZero();
          Map<String, Object> copier = find(objects(outcome.output()), "FlinkDeployment", "shop-copier");
          Map<String, Object> spec = (Map<String, Object>) copier.get("spec");
          assertThat(((Map<String, Object>) spec.get("job")).get("parallelism")).isEqualTo(3);
          assertThat(((Map<String, Object>) spec.get("job")).get("entryClass")).isEqualTo("com.example.Shop");
          assertThat(((Map<String, Object>) spec.get("flinkConfiguration")).get("execution.checkpointing.interval")).isEqualTo("1 s");
          Map<String, Object> slow = (Map<String, Object>) find(objects(outcome.output()), "FlinkDeployment", "shop-slow").get("spec");
          assertThat(((Map<String, Object>) slow.get("job")).get("parallelism")).isEqualTo(2);
          assertThat(((Map<String, Object>) slow.get("flinkConfiguration")).get("execution.checkpointing.interval")).isEqualTo("10 s");
        });
  }

  @Test
  void kafkaSettingsGoIntoTheConfigMapWithoutSecrets() {
    contextRunner.withPropertyValues("cloudflow.manifests",
        "spring.kafka.bootstrap-servers=kafka-1:9092,kafka-2:9092",
        "spring.kafka.security.protocol=SASL_SSL",
        "spring.kafka.properties[sasl.mechanism]=SCRAM-SHA-512",
        "spring.kafka.properties[sasl.jaas.config]=ScramLoginModule required username=\"u\" password=\"hunter2\";",
        "spring.kafka.ssl.key-store-password=hunter3",
        "spring.kafka.ssl.key-password=hunter4").run(context -> {
          Outcome outcome = execute(context);
          assertThat(outcome.code()).as(outcome.output()).isZero();
          Map<String, Object> data = (Map<String, Object>) find(objects(outcome.output()), "ConfigMap", "shop-config").get("data");
          assertThat(data).containsEntry("SPRING_KAFKA_BOOTSTRAPSERVERS", "kafka-1:9092,kafka-2:9092")
              .containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
              .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512")
              .containsEntry("CLOUDFLOW_EMBEDDEDKAFKA_ENABLED", "false");
          assertThat(outcome.output()).doesNotContain("hunter").doesNotContain("JAAS").doesNotContainIgnoringCase("password");
        });
  }

  @Test
  void writesAFileEachToAFolderAndRemovesOnlyItsOwnStaleFiles(@TempDir Path folder) throws Exception {
    Files.writeString(folder.resolve("gone.yaml"), "# " + ManifestGenerator.GENERATED_MARK + " of shop\n---\nkind: ConfigMap\n");
    Files.writeString(folder.resolve("mine.yaml"), "# written by hand\nkind: ConfigMap\n");
    contextRunner.withPropertyValues("cloudflow.manifests=" + folder).run(context -> {
      Outcome outcome = execute(context);
      assertThat(outcome.code()).as(outcome.output()).isZero();
      assertThat(outcome.output()).startsWith("Wrote 4 files to " + folder);
    });
    try (var files = Files.list(folder)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("00-shop.yaml", "copier.yaml", "fast.yaml", "mine.yaml", "slow.yaml");
    }
    assertThat(objects(Files.readString(folder.resolve("copier.yaml")))).extracting(o -> o.get("kind"))
        .containsExactly("PersistentVolumeClaim", "Deployment", "Service");
  }

  private record Outcome(int code, String output) {}

  private static Outcome execute(AssertableApplicationContext context) {
    assertThat(context).hasNotFailed();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = context.getBean(StreamletCommands.class).execute(out);
    }
    return new Outcome(code, bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }

  private static List<Map<String, Object>> objects(String yaml) {
    List<Map<String, Object>> objects = new ArrayList<>();
    new Yaml().loadAll(yaml).forEach(o -> objects.add((Map<String, Object>) o));
    return objects;
  }

  private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
    return objects.stream().filter(o -> o.get("kind").equals(kind) && ((Map<String, Object>) o.get("metadata")).get("name").equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
  }
}
