package cloudflow.flink.spring.command;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.runtime.StreamletJobs;
import cloudflow.flink.runtime.StreamletRunner;
import cloudflow.flink.spring.autoconfigure.CloudflowFlinkAutoConfiguration;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import cloudflow.flink.spring.kafka.EmbeddedKafkaAutoConfiguration;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import cloudflow.flink.spring.testsupport.ParameterizedIngress;
import cloudflow.flink.spring.testsupport.ReadingIngress;
import cloudflow.flink.spring.testsupport.ReadingProcessor;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * Tests for {@link StreamletCommands} ({@code --cloudflow.verify}, {@code --cloudflow.describe}) and
 * for command mode, in which nothing but the command is configured: no launcher, no job, no embedded
 * broker. Commands are executed on the bean; the {@code ApplicationRunner} that would exit the JVM
 * is not run by an {@link ApplicationContextRunner}.
 */
class StreamletCommandsTest {

  private static final String PIPELINE = "cloudflow.blueprint.location=classpath:blueprints/pipeline.conf";
  private static final String INVALID = "cloudflow.blueprint.location=classpath:blueprints/invalid.conf";

  // No spring.kafka.bootstrap-servers: outside command mode the embedded broker would start.
  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  EmbeddedKafkaAutoConfiguration.class,
                  KafkaAutoConfiguration.class,
                  CloudflowFlinkAutoConfiguration.class,
                  StreamletCommandsAutoConfiguration.class))
          .withBean("copier", FlinkStreamlet.class, ReadingProcessor::new);

  // --- verify ---

  @Test
  void verifyReportsAValidBlueprintAndExitsWithZero() {
    contextRunner.withPropertyValues("cloudflow.verify", PIPELINE).run(context -> {
      Outcome outcome = execute(context);
      assertThat(outcome.code()).isZero();
      assertThat(outcome.output()).isEqualTo("Blueprint is valid (0 errors, 0 warnings)\n");
    });
  }

  @Test
  void verifyListsEveryProblemOfAnInvalidBlueprintAndExitsWithOne() {
    contextRunner.withPropertyValues("cloudflow.verify", INVALID).run(context -> {
      Outcome outcome = execute(context);
      assertThat(outcome.code()).isOne();
      assertThat(outcome.output())
          .contains("  - ERROR: Topic 'readings' refers to unknown port 'input' of streamlet 'copier'")
          .contains("  - ERROR: Inlet copier.in is not connected to any topic")
          .contains("  - ERROR: Schema cloudflow.flink.spring.testdata.Reading of sink.in cannot read schema")
          .contains("Blueprint is invalid (3 errors, 0 warnings)");
    });
  }

  @Test
  void verifyReportsWarningsButExitsWithZero() {
    contextRunner
        .withBean("source", FlinkStreamlet.class, ReadingIngress::new)
        .withPropertyValues(
            "cloudflow.verify",
            "cloudflow.blueprint.streamlets.source=source",
            "cloudflow.blueprint.streamlets.copier=copier",
            "cloudflow.blueprint.topics.readings.producers[0]=source.out",
            "cloudflow.blueprint.topics.readings.consumers[0]=copier.in")
        .run(context -> {
          Outcome outcome = execute(context);
          assertThat(outcome.code()).isZero();
          assertThat(outcome.output())
              .contains("  - WARNING: Outlet copier.out is not connected to any topic")
              .contains("Blueprint is valid (0 errors, 1 warnings)");
        });
  }

  @Test
  void verifyAsJsonReportsAValidBlueprint() {
    contextRunner.withPropertyValues("cloudflow.verify=json", PIPELINE).run(context -> {
      Outcome outcome = execute(context);
      Config json = parseJson(outcome.output());
      assertThat(outcome.code()).isZero();
      assertThat(json.getBoolean("valid")).isTrue();
      assertThat(json.getInt("errors")).isZero();
      assertThat(json.getInt("warnings")).isZero();
      assertThat(json.getList("problems")).isEmpty();
    });
  }

  @Test
  void verifyAsJsonListsEveryProblemWithWhatItConcerns() {
    contextRunner.withPropertyValues("cloudflow.verify=json", INVALID).run(context -> {
      Outcome outcome = execute(context);
      Config json = parseJson(outcome.output());
      assertThat(outcome.code()).isOne();
      assertThat(json.getBoolean("valid")).isFalse();
      assertThat(json.getInt("errors")).isEqualTo(3);
      List<? extends Config> problems = json.getConfigList("problems");
      assertThat(problems).extracting(p -> p.getString("severity")).containsOnly("error");
      assertThat(problems).anySatisfy(p -> {
        assertThat(p.getString("streamlet")).isEqualTo("copier");
        assertThat(p.getString("port")).isEqualTo("input");
        assertThat(p.getString("topic")).isEqualTo("readings");
        assertThat(p.getString("message")).contains("unknown port 'input'");
      });
      assertThat(problems).anySatisfy(p -> {
        assertThat(p.getString("streamlet")).isEqualTo("sink");
        assertThat(p.getString("topic")).isEqualTo("copies");
        assertThat(p.getString("message")).contains("cannot read schema");
      });
    });
  }

  @Test
  void verifyReportsABlueprintThatCannotBeReadAndExitsWithOne() {
    contextRunner.withPropertyValues("cloudflow.verify", "cloudflow.blueprint.location=classpath:blueprints/missing.conf")
        .run(context -> {
          Outcome outcome = execute(context);
          assertThat(outcome.code()).isOne();
          assertThat(outcome.output()).isEqualTo(
              "Blueprint is invalid: Blueprint classpath:blueprints/missing.conf (cloudflow.blueprint.location) does not exist\n");
        });
  }

  @Test
  void verifyAsJsonReportsABlueprintThatCannotBeRead() {
    contextRunner.withPropertyValues("cloudflow.verify=json", "cloudflow.blueprint.location=classpath:blueprints/malformed.conf")
        .run(context -> {
          Outcome outcome = execute(context);
          Config json = parseJson(outcome.output());
          assertThat(outcome.code()).isOne();
          assertThat(json.getBoolean("valid")).isFalse();
          assertThat(json.getString("error")).startsWith("Cannot read blueprint classpath:blueprints/malformed.conf");
        });
  }

  // --- describe ---

  @Test
  void describeListsEveryStreamletWithItsPortsSchemasAndTopics() {
    contextRunner.withPropertyValues("cloudflow.describe", PIPELINE).run(context -> {
      Outcome outcome = execute(context);
      assertThat(outcome.code()).isZero();
      assertThat(outcome.output())
          .contains("streamlet copier (" + ReadingProcessor.class.getName() + ")")
          .contains("streamlet fast (" + ParameterizedIngress.class.getName() + ")")
          .contains("streamlet slow (" + ParameterizedIngress.class.getName() + ")")
          .containsPattern("inlet +in +cloudflow\\.flink\\.spring\\.testdata\\.Reading \\(avro [0-9a-f]+\\)  topic: readings")
          .containsPattern("outlet +out +cloudflow\\.flink\\.spring\\.testdata\\.Reading \\(avro [0-9a-f]+\\)  topic: copies-v1");
    });
  }

  @Test
  void describeListsConfigParametersWithTypeDefaultAndProperty() {
    contextRunner.withPropertyValues("cloudflow.describe", PIPELINE).run(context -> {
      String output = execute(context).output();
      assertThat(output)
          .containsPattern("config threshold +double, required: Readings above this are alerts")
          .containsPattern("config batch-size +int32, default 64: Readings per batch")
          .contains("cloudflow.streamlets.fast.config-parameters.batch-size")
          .contains("cloudflow.streamlets.slow.config-parameters.threshold");
    });
  }

  @Test
  void describeAsJsonHasEveryStreamletWithPortsSchemasAndTopics() {
    contextRunner.withPropertyValues("cloudflow.describe=json", PIPELINE).run(context -> {
      Outcome outcome = execute(context);
      Config json = parseJson(outcome.output());
      assertThat(outcome.code()).isZero();
      List<? extends Config> streamlets = json.getConfigList("streamlets");
      assertThat(streamlets).extracting(s -> s.getString("name")).containsExactly("copier", "fast", "slow");
      Config copier = streamlets.get(0);
      assertThat(copier.getString("class")).isEqualTo(ReadingProcessor.class.getName());
      Config in = copier.getConfigList("inlets").get(0);
      assertThat(in.getString("name")).isEqualTo("in");
      assertThat(in.getString("topic")).isEqualTo("readings");
      assertThat(in.getString("schema.name")).isEqualTo("cloudflow.flink.spring.testdata.Reading");
      assertThat(in.getString("schema.format")).isEqualTo("avro");
      assertThat(in.getString("schema.schema.type")).as("the Avro schema as a JSON object").isEqualTo("record");
      assertThat(copier.getConfigList("outlets").get(0).getString("topic")).isEqualTo("copies-v1");
      assertThat(streamlets.get(1).getConfigList("outlets").get(0).getString("topic")).isEqualTo("readings");
    });
  }

  @Test
  void describeAsJsonHasTheConfigParametersWithTheirProperties() {
    contextRunner.withPropertyValues("cloudflow.describe=json", PIPELINE).run(context -> {
      Config fast = parseJson(execute(context).output()).getConfigList("streamlets").get(1);
      List<? extends Config> parameters = fast.getConfigList("configParameters");
      assertThat(parameters).extracting(p -> p.getString("key"))
          .containsExactly("threshold", "greeting", "batch-size", "max-records", "enabled", "interval", "buffer-size", "sensor-id");
      Config threshold = parameters.get(0);
      assertThat(threshold.getString("type")).isEqualTo("double");
      assertThat(threshold.hasPath("default")).as("a required parameter has no default").isFalse();
      assertThat(threshold.getString("property")).isEqualTo("cloudflow.streamlets.fast.config-parameters.threshold");
      Config batchSize = parameters.get(2);
      assertThat(batchSize.getString("type")).isEqualTo("int32");
      assertThat(batchSize.getString("default")).isEqualTo("64");
      assertThat(batchSize.getString("description")).isEqualTo("Readings per batch");
      assertThat(parameters.get(7).getString("pattern")).isEqualTo("sensor-[0-9]+");
    });
  }

  @Test
  void describeReportsTheProblemsOfAnInvalidBlueprintInsteadAndExitsWithOne() {
    contextRunner.withPropertyValues("cloudflow.describe", INVALID).run(context -> {
      Outcome outcome = execute(context);
      assertThat(outcome.code()).isOne();
      assertThat(outcome.output()).contains("Blueprint is invalid (3 errors, 0 warnings)").doesNotContain("streamlet copier");
    });
  }

  // --- without a blueprint: the beans and their port properties ---

  @Test
  void verifiesTheBeansAndTheirPortTopicsWithoutABlueprint() {
    implicitBlueprint().withPropertyValues("cloudflow.verify").run(context -> {
      Outcome outcome = execute(context);
      assertThat(outcome.code()).isZero();
      assertThat(outcome.output()).isEqualTo("Blueprint is valid (0 errors, 0 warnings)\n");
    });
  }

  @Test
  void describesTheBeansWithTheTopicsOfTheirPortPropertiesWithoutABlueprint() {
    implicitBlueprint().withPropertyValues("cloudflow.describe=json").run(context -> {
      List<? extends Config> streamlets = parseJson(execute(context).output()).getConfigList("streamlets");
      assertThat(streamlets).extracting(s -> s.getString("name")).containsExactlyInAnyOrder("copier", "source");
      Config copier = streamlets.stream().filter(s -> s.getString("name").equals("copier")).findFirst().orElseThrow();
      assertThat(copier.getConfigList("inlets").get(0).getString("topic")).isEqualTo("readings");
      assertThat(copier.getConfigList("outlets").get(0).getString("topic")).isEqualTo("copies");
    });
  }

  @Test
  void reportsAnInletWithoutATopicWithoutABlueprint() {
    contextRunner
        .withBean("source", FlinkStreamlet.class, ReadingIngress::new)
        .withPropertyValues("cloudflow.verify", "cloudflow.streamlets.source.ports.out.topic=readings")
        .run(context -> {
          Outcome outcome = execute(context);
          assertThat(outcome.code()).isOne();
          assertThat(outcome.output()).contains("ERROR: Inlet copier.in is not connected to any topic");
        });
  }

  @Test
  void verifiesPortTopicsSetAsEnvironmentVariablesForAStreamletWhoseNameHasDashes() {
    // The launcher matches CLOUDFLOW_STREAMLETS_READINGCOPIER_... to the bean 'reading-copier'; verify must too.
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StreamletCommandsAutoConfiguration.class))
        .withBean("source", FlinkStreamlet.class, ReadingIngress::new)
        .withBean("reading-copier", FlinkStreamlet.class, ReadingProcessor::new)
        .withPropertyValues("cloudflow.verify")
        .withInitializer(ctx -> ctx.getEnvironment().getPropertySources().replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(
                    "CLOUDFLOW_STREAMLETS_SOURCE_PORTS_OUT_TOPIC", "readings",
                    "CLOUDFLOW_STREAMLETS_READINGCOPIER_PORTS_IN_TOPIC", "readings",
                    "CLOUDFLOW_STREAMLETS_READINGCOPIER_PORTS_OUT_TOPIC", "copies"))))
        .run(context -> {
          Outcome outcome = execute(context);
          assertThat(outcome.output()).isEqualTo("Blueprint is valid (0 errors, 0 warnings)\n");
          assertThat(outcome.code()).isZero();
        });
  }

  // --- command mode ---

  @Test
  void runsNoStreamletsInCommandMode() {
    contextRunner.withPropertyValues("cloudflow.verify", PIPELINE).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(StreamletCommands.class);
      assertThat(context).doesNotHaveBean(StreamletLauncher.class);
      assertThat(context).doesNotHaveBean(StreamletRegistry.class);
      assertThat(context).doesNotHaveBean(StreamletRunner.class);
    });
  }

  @Test
  void startsNoEmbeddedBrokerInCommandMode() {
    contextRunner.withPropertyValues("cloudflow.describe=json", PIPELINE)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedKafkaBroker.class));
  }

  @Test
  void entersCommandModeWithAnEmptyFlag() {
    contextRunner.withPropertyValues("cloudflow.describe=", PIPELINE).run(context -> {
      assertThat(context).hasSingleBean(StreamletCommands.class).doesNotHaveBean(StreamletLauncher.class);
      assertThat(execute(context).output()).startsWith("streamlet copier");
    });
  }

  @Test
  void offersNoCommandsWhenNoneIsRequested() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StreamletCommandsAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(StreamletCommands.class));
  }

  // --- helpers ---

  /** Two beans, "source" and "copier", connected by port properties only. */
  private ApplicationContextRunner implicitBlueprint() {
    return contextRunner
        .withBean("source", FlinkStreamlet.class, ReadingIngress::new)
        .withPropertyValues(
            "cloudflow.streamlets.source.ports.out.topic=readings",
            "cloudflow.streamlets.copier.ports.in.topic=readings",
            "cloudflow.streamlets.copier.ports.out.topic=copies");
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

  /** Parses output that must be strict JSON (not just HOCON). */
  private static Config parseJson(String output) {
    return ConfigFactory.parseString(output, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
  }
}
