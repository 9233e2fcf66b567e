package cloudflow.flink.spring.autoconfigure;

import static cloudflow.flink.spring.testsupport.StreamletFailures.configurationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.blueprint.BlueprintException;
import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.runtime.StreamletJobs;
import cloudflow.flink.spring.blueprint.BlueprintVerificationException;
import cloudflow.flink.spring.diagnostics.BlueprintFailureAnalyzer;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationFailureAnalyzer;
import cloudflow.flink.spring.kafka.EmbeddedKafkaAutoConfiguration;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import cloudflow.flink.spring.testsupport.ParameterizedIngress;
import cloudflow.flink.spring.testsupport.ReadingIngress;
import cloudflow.flink.spring.testsupport.ReadingProcessor;
import cloudflow.flink.spring.testsupport.TestRunners;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@link CloudflowFlinkAutoConfiguration} with a blueprint, from properties or from a file: the
 * registry has the blueprint's names, the launcher's definitions get the blueprint's topics and each
 * name's config parameter values, and a blueprint that does not fit or cannot be read stops startup
 * with a message listing what is wrong. No test starts a broker or submits a Flink job.
 */
class BlueprintAutoConfigurationTest {

  private static final String INGRESS = ParameterizedIngress.class.getName();

  /** The blueprint of blueprints/pipeline.conf, as properties. */
  private static final String[] PIPELINE_PROPERTIES = {
    "cloudflow.blueprint.streamlets.slow=" + INGRESS,
    "cloudflow.blueprint.streamlets.fast=" + INGRESS,
    "cloudflow.blueprint.streamlets.copier=copier",
    "cloudflow.blueprint.topics.readings.producers[0]=slow.out",
    "cloudflow.blueprint.topics.readings.producers[1]=fast.out",
    "cloudflow.blueprint.topics.readings.consumers[0]=copier.in",
    "cloudflow.blueprint.topics.copies.name=copies-v1",
    "cloudflow.blueprint.topics.copies.producers[0]=copier.out",
    "cloudflow.blueprint.topics.copies.external=true"
  };

  @TempDir Path tempDir;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  KafkaAutoConfiguration.class,
                  EmbeddedKafkaAutoConfiguration.class,
                  CloudflowFlinkAutoConfiguration.class))
          .withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092", "cloudflow.embedded-kafka.enabled=false")
          .withBean(StreamletJobs.class, TestRunners::nonSubmitting);

  /** The "copier" bean, every streamlet run in this JVM, and the config parameters of the two ingresses. */
  private ApplicationContextRunner pipeline() {
    return contextRunner
        .withBean("copier", FlinkStreamlet.class, ReadingProcessor::new)
        .withPropertyValues(
            "cloudflow.local=true",
            "cloudflow.streamlets.slow.config-parameters.threshold=1.5",
            "cloudflow.streamlets.fast.config-parameters.threshold=9.5",
            "cloudflow.streamlets.fast.config-parameters.batch-size=512");
  }

  // --- where the blueprint comes from ---

  @Test
  void takesTheStreamletNamesFromABlueprintInProperties() {
    pipeline().withPropertyValues(PIPELINE_PROPERTIES).run(context -> {
      assertThat(context).hasNotFailed();
      StreamletRegistry registry = context.getBean(StreamletRegistry.class);
      assertThat(registry.names()).containsExactly("copier", "fast", "slow");
      assertThat(registry.blueprint()).isPresent();
    });
  }

  @Test
  void connectsPortsToTheTopicsOfABlueprintInProperties() {
    pipeline().withPropertyValues(PIPELINE_PROPERTIES).run(this::assertPipelineTopics);
  }

  @Test
  void connectsPortsToTheTopicsOfABlueprintOnTheClassPath() {
    pipeline().withPropertyValues("cloudflow.blueprint.location=classpath:blueprints/pipeline.conf").run(context -> {
      assertThat(context.getBean(StreamletRegistry.class).names()).containsExactly("copier", "fast", "slow");
      assertPipelineTopics(context);
    });
  }

  @Test
  void connectsPortsToTheTopicsOfABlueprintAtAFilePath() throws IOException {
    Path file = copyOfPipelineBlueprint();

    pipeline().withPropertyValues("cloudflow.blueprint.location=" + file.toAbsolutePath()).run(context -> {
      assertThat(context.getBean(StreamletRegistry.class).names()).containsExactly("copier", "fast", "slow");
      assertPipelineTopics(context);
    });
  }

  @Test
  void connectsPortsToTheTopicsOfABlueprintAtAFileUrl() throws IOException {
    Path file = copyOfPipelineBlueprint();

    pipeline().withPropertyValues("cloudflow.blueprint.location=" + file.toUri()).run(this::assertPipelineTopics);
  }

  @Test
  void prefersABlueprintInPropertiesToTheLocation() {
    pipeline()
        .withPropertyValues(PIPELINE_PROPERTIES)
        .withPropertyValues("cloudflow.blueprint.location=classpath:blueprints/invalid.conf")
        .run(context -> assertThat(context).hasNotFailed());
  }

  // --- what the blueprint's names are bound to ---

  @Test
  void usesTheBeanNamedInTheBlueprint() {
    pipeline().withPropertyValues(PIPELINE_PROPERTIES).run(context -> assertThat(
            context.getBean(StreamletRegistry.class).streamlet("copier"))
        .isSameAs(context.getBean("copier")));
  }

  @Test
  void createsAStreamletOfAClassNamedInTheBlueprintThatIsNoBean() {
    pipeline().withPropertyValues(PIPELINE_PROPERTIES).run(context -> {
      StreamletRegistry registry = context.getBean(StreamletRegistry.class);
      assertThat(registry.streamlet("slow")).isInstanceOf(ParameterizedIngress.class);
      assertThat(registry.streamlet("fast")).isInstanceOf(ParameterizedIngress.class);
      assertThat(context).doesNotHaveBean(ParameterizedIngress.class);
    });
  }

  @Test
  void givesEachNameOfOneClassItsOwnConfigParameterValues() {
    pipeline().withPropertyValues(PIPELINE_PROPERTIES).run(context -> {
      ParameterizedIngress ingress = new ParameterizedIngress();
      FlinkStreamletContext slow = contextOf(definition(context, "slow"));
      FlinkStreamletContext fast = contextOf(definition(context, "fast"));
      assertThat(ingress.threshold.getValue(slow)).isEqualTo(1.5);
      assertThat(ingress.threshold.getValue(fast)).isEqualTo(9.5);
      assertThat(ingress.batchSize.getValue(slow)).isEqualTo(64);
      assertThat(ingress.batchSize.getValue(fast)).isEqualTo(512);
    });
  }

  @Test
  void letsAPortTopicPropertyWinOverTheBlueprint() {
    pipeline()
        .withPropertyValues(PIPELINE_PROPERTIES)
        .withPropertyValues("cloudflow.streamlets.copier.ports.out.topic=audited")
        .run(context -> assertThat(definition(context, "copier").portMappings())
            .isEqualTo(Map.of("in", "readings", "out", "audited")));
  }

  @Test
  void runsOnlyTheChosenStreamletOfTheBlueprint() {
    pipeline()
        .withPropertyValues(PIPELINE_PROPERTIES)
        .withPropertyValues("cloudflow.local=false", "cloudflow.streamlet=fast")
        .run(context -> assertThat(context.getBean(StreamletLauncher.class).definitions())
            .extracting(StreamletDefinition::streamletRef)
            .containsExactly("fast"));
  }

  @Test
  void leavesAnOutletTheBlueprintDoesNotConnectWithoutATopic() {
    contextRunner
        .withBean("copier", FlinkStreamlet.class, ReadingProcessor::new)
        .withBean("source", FlinkStreamlet.class, ReadingIngress::new)
        .withPropertyValues(
            "cloudflow.local=true",
            "cloudflow.blueprint.streamlets.source=source",
            "cloudflow.blueprint.streamlets.copier=copier",
            "cloudflow.blueprint.topics.readings.producers[0]=source.out",
            "cloudflow.blueprint.topics.readings.consumers[0]=copier.in")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(definition(context, "copier").portMappings()).isEqualTo(Map.of("in", "readings"));
        });
  }

  @Test
  void failsOnAnOutletTheBlueprintDoesNotConnectWhenStrict() {
    contextRunner
        .withBean("copier", FlinkStreamlet.class, ReadingProcessor::new)
        .withBean("source", FlinkStreamlet.class, ReadingIngress::new)
        .withPropertyValues(
            "cloudflow.blueprint.strict=true",
            "cloudflow.blueprint.streamlets.source=source",
            "cloudflow.blueprint.streamlets.copier=copier",
            "cloudflow.blueprint.topics.readings.producers[0]=source.out",
            "cloudflow.blueprint.topics.readings.consumers[0]=copier.in")
        .run(context -> assertThat(configurationFailure(context))
            .isInstanceOf(BlueprintVerificationException.class)
            .hasMessageContaining("Outlet copier.out is not connected to any topic"));
  }

  // --- a blueprint that does not fit, or cannot be read ---

  @Test
  void stopsStartupListingEveryProblemOfAnInvalidBlueprint() {
    invalidBlueprint().run(context -> {
      StreamletConfigurationException failure = configurationFailure(context);
      assertThat(failure).isInstanceOf(BlueprintVerificationException.class);
      assertThat(((BlueprintVerificationException) failure).getResult().errors()).hasSize(3);
      assertThat(failure.getMessage())
          .contains("The blueprint (classpath:blueprints/invalid.conf) does not fit the application's streamlets")
          .contains(INVALID_BLUEPRINT_ERRORS)
          .contains("Blueprint is invalid (3 errors, 0 warnings)");
    });
  }

  @Test
  void explainsEveryProblemOfAnInvalidBlueprintInTheFailureAnalysis() {
    invalidBlueprint().run(context -> {
      FailureAnalysis analysis = new StreamletConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains(INVALID_BLUEPRINT_ERRORS);
      assertThat(analysis.getAction()).contains("--cloudflow.verify");
    });
  }

  @Test
  void namesThePropertiesAsTheSourceOfAnInvalidBlueprintInProperties() {
    contextRunner
        .withBean("copier", FlinkStreamlet.class, ReadingProcessor::new)
        .withPropertyValues(
            "cloudflow.blueprint.streamlets.copier=copier",
            "cloudflow.blueprint.topics.readings.producers[0]=ghost.out",
            "cloudflow.blueprint.topics.readings.consumers[0]=copier.in")
        .run(context -> assertThat(configurationFailure(context).getMessage())
            .contains("The blueprint (cloudflow.blueprint properties)")
            .contains("refers to unknown streamlet 'ghost'"));
  }

  @Test
  void stopsStartupWhenTheBlueprintLocationDoesNotExist() {
    contextRunner
        .withPropertyValues("cloudflow.blueprint.location=classpath:blueprints/missing.conf")
        .run(context -> {
          BlueprintException failure = blueprintFailure(context);
          assertThat(failure).hasMessageContaining("classpath:blueprints/missing.conf").hasMessageContaining("does not exist");
        });
  }

  @Test
  void explainsAMissingBlueprintFileNamingTheLocationProperty() {
    String location = tempDir.resolve("nowhere.conf").toString();
    contextRunner.withPropertyValues("cloudflow.blueprint.location=" + location).run(context -> {
      FailureAnalysis analysis = new BlueprintFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains(location, "does not exist");
      assertThat(analysis.getAction()).contains("cloudflow.blueprint.location");
    });
  }

  @Test
  void explainsABlueprintThatIsNotHoconNamingTheLocationProperty() {
    contextRunner.withPropertyValues("cloudflow.blueprint.location=classpath:blueprints/malformed.conf").run(context -> {
      assertThat(blueprintFailure(context)).hasMessageContaining("Cannot read blueprint classpath:blueprints/malformed.conf");
      FailureAnalysis analysis = new BlueprintFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("Cannot read blueprint classpath:blueprints/malformed.conf");
      assertThat(analysis.getAction()).contains("cloudflow.blueprint.location", "blueprint { streamlets { ... } topics { ... } }");
    });
  }

  @Test
  void stopsStartupNamingAMissingConfigParameterOfABlueprintStreamlet() {
    contextRunner
        .withBean("copier", FlinkStreamlet.class, ReadingProcessor::new)
        .withPropertyValues(PIPELINE_PROPERTIES)
        .withPropertyValues("cloudflow.local=true", "cloudflow.streamlets.slow.config-parameters.threshold=1.5")
        .run(context -> assertThat(configurationFailure(context).getMessage())
            .contains("Streamlet 'fast' has invalid config parameters")
            .contains("cloudflow.streamlets.fast.config-parameters.threshold is required"));
  }

  // --- without a blueprint ---

  @Test
  void namesTheStreamletsByBeanNameWithoutABlueprint() {
    contextRunner
        .withBean("source", FlinkStreamlet.class, ReadingIngress::new)
        .withBean("copier", FlinkStreamlet.class, ReadingProcessor::new)
        .withPropertyValues(
            "cloudflow.local=true",
            "cloudflow.streamlets.source.ports.out.topic=readings",
            "cloudflow.streamlets.copier.ports.in.topic=readings",
            "cloudflow.streamlets.copier.ports.out.topic=copies")
        .run(context -> {
          StreamletRegistry registry = context.getBean(StreamletRegistry.class);
          assertThat(registry.names()).containsExactly("source", "copier");
          assertThat(registry.blueprint()).isEmpty();
          assertThat(definition(context, "source").portMappings()).isEqualTo(Map.of("out", "readings"));
          assertThat(definition(context, "copier").portMappings()).isEqualTo(Map.of("in", "readings", "out", "copies"));
        });
  }

  @Test
  void readsConfigParametersFromEnvironmentVariablesWithoutABlueprint() {
    contextRunner
        .withBean("source", FlinkStreamlet.class, ParameterizedIngress::new)
        .withInitializer(ctx -> ctx.getEnvironment().getPropertySources().replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(
                    "CLOUDFLOW_STREAMLETS_SOURCE_PORTS_OUT_TOPIC", "readings",
                    "CLOUDFLOW_STREAMLETS_SOURCE_CONFIGPARAMETERS_THRESHOLD", "4.5",
                    "CLOUDFLOW_STREAMLETS_SOURCE_CONFIGPARAMETERS_BUFFERSIZE", "1k"))))
        .run(context -> {
          StreamletDefinition definition = definition(context, "source");
          ParameterizedIngress ingress = context.getBean(ParameterizedIngress.class);
          assertThat(definition.portMappings()).isEqualTo(Map.of("out", "readings"));
          assertThat(ingress.threshold.getValue(contextOf(definition))).isEqualTo(4.5);
          assertThat(ingress.bufferSize.getValue(contextOf(definition)).toBytes()).isEqualTo(1024L);
        });
  }

  @Test
  void matchesPortTopicsFromEnvironmentVariablesToAStreamletWhoseNameHasDashesWithoutABlueprint() {
    contextRunner
        .withBean("reading-copier", FlinkStreamlet.class, ReadingProcessor::new)
        .withInitializer(ctx -> ctx.getEnvironment().getPropertySources().replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(
                    "CLOUDFLOW_STREAMLETS_READINGCOPIER_PORTS_IN_TOPIC", "readings",
                    "CLOUDFLOW_STREAMLETS_READINGCOPIER_PORTS_OUT_TOPIC", "copies"))))
        .run(context -> assertThat(definition(context, "reading-copier").portMappings())
            .isEqualTo(Map.of("in", "readings", "out", "copies")));
  }

  // --- helpers ---

  private static final String[] INVALID_BLUEPRINT_ERRORS = {
    "Topic 'readings' refers to unknown port 'input' of streamlet 'copier'; its ports: [in, out]",
    "Inlet copier.in is not connected to any topic",
    "Schema cloudflow.flink.spring.testdata.Reading of sink.in cannot read schema cloudflow.flink.spring.testdata.Reading that copier.out writes to topic 'copies'"
  };

  private ApplicationContextRunner invalidBlueprint() {
    return contextRunner
        .withBean("copier", FlinkStreamlet.class, ReadingProcessor::new)
        .withPropertyValues("cloudflow.blueprint.location=classpath:blueprints/invalid.conf");
  }

  private void assertPipelineTopics(AssertableApplicationContext context) {
    assertThat(context).hasNotFailed();
    assertThat(definition(context, "slow").portMappings()).isEqualTo(Map.of("out", "readings"));
    assertThat(definition(context, "fast").portMappings()).isEqualTo(Map.of("out", "readings"));
    assertThat(definition(context, "copier").portMappings()).isEqualTo(Map.of("in", "readings", "out", "copies-v1"));
  }

  private Path copyOfPipelineBlueprint() throws IOException {
    Path file = tempDir.resolve("pipeline.conf");
    try (InputStream in = getClass().getResourceAsStream("/blueprints/pipeline.conf")) {
      Files.copy(in, file);
    }
    return file;
  }

  private static StreamletDefinition definition(AssertableApplicationContext context, String name) {
    return context.getBean(StreamletLauncher.class).definitions().stream()
        .filter(d -> d.streamletRef().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no definition of streamlet '" + name + "'"));
  }

  private static BlueprintException blueprintFailure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
      if (t instanceof BlueprintException e) {
        return e;
      }
    }
    throw new AssertionError("Expected a BlueprintException in the cause chain", context.getStartupFailure());
  }

  /** The context a streamlet would run with, as far as its config parameters are concerned. */
  private static FlinkStreamletContext contextOf(StreamletDefinition definition) {
    return new FlinkStreamletContext() {
      @Override
      public String streamletRef() {
        return definition.streamletRef();
      }

      @Override
      public Config config() {
        return definition.config();
      }

      @Override
      public Map<String, String> portMappings() {
        return definition.portMappings();
      }

      @Override
      public StreamExecutionEnvironment env() {
        throw new UnsupportedOperationException();
      }

      @Override
      public <T> DataStream<T> readStream(CodecInlet<T> inlet) {
        throw new UnsupportedOperationException();
      }

      @Override
      public <T> DataStreamSink<T> writeStream(
          CodecOutlet<T> outlet, DataStream<T> stream) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
