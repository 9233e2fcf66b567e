package cloudflow.flink.spring.autoconfigure;

import static cloudflow.flink.spring.testsupport.StreamletFailures.configurationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.runtime.StreamletJobs;
import cloudflow.flink.runtime.StreamletRunner;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.flink.spring.kafka.EmbeddedKafkaAutoConfiguration;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import cloudflow.flink.spring.testsupport.BrokenShapeStreamlet;
import cloudflow.flink.spring.testsupport.LogicFailingStreamlet;
import cloudflow.flink.spring.testsupport.ReadingIngress;
import cloudflow.flink.spring.testsupport.ReadingProcessor;
import cloudflow.flink.spring.testsupport.TestRunners;
import cloudflow.streamlets.StreamletPort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tests for {@link CloudflowFlinkAutoConfiguration}. No test starts a broker or submits a Flink job:
 * Kafka bootstrap servers are set (so the embedded broker backs off) and tests whose context would
 * start the launcher supply {@link StreamletJobs} that submit nothing.
 */
class CloudflowFlinkAutoConfigurationTest {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  KafkaAutoConfiguration.class,
                  EmbeddedKafkaAutoConfiguration.class,
                  CloudflowFlinkAutoConfiguration.class))
          .withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092", "cloudflow.embedded-kafka.enabled=false");

  /** Two streamlets, "doubler" (in, out) and "source" (out), with all their topics. */
  private ApplicationContextRunner withTwoStreamlets() {
    return contextRunner
        .withBean("doubler", FlinkStreamlet.class, ReadingProcessor::new)
        .withBean("source", FlinkStreamlet.class, ReadingIngress::new)
        .withPropertyValues(
            "cloudflow.streamlets.doubler.ports.in.topic=readings",
            "cloudflow.streamlets.doubler.ports.out.topic=doubled",
            "cloudflow.streamlets.source.ports.out.topic=readings");
  }

  // --- failures before anything starts ---

  @Test
  void failsWhenThereAreNoStreamletBeans() {
    contextRunner.run(context -> {
      StreamletConfigurationException failure = configurationFailure(context);
      assertThat(failure.getMessage()).startsWith("No streamlets found").contains("no FlinkStreamlet beans");
      assertThat(failure.getAction()).contains("Declare each streamlet as a Spring bean");
    });
  }

  @Test
  void failsOnAnUnknownStreamletListingTheValidNames() {
    withTwoStreamlets().withPropertyValues("cloudflow.streamlet=nope").run(context -> {
      StreamletConfigurationException failure = configurationFailure(context);
      assertThat(failure.getMessage()).contains("Unknown streamlet 'nope'").contains("--streamlet", "cloudflow.streamlet");
      assertThat(failure.getAction()).contains("doubler, source");
    });
  }

  @Test
  void refusesAnUnknownStreamletBeforeCreatingAnyBean() {
    AtomicInteger created = new AtomicInteger();
    contextRunner
        .withBean("doubler", FlinkStreamlet.class, () -> {
          created.incrementAndGet();
          return new ReadingProcessor();
        })
        .withBean("source", FlinkStreamlet.class, () -> {
          created.incrementAndGet();
          return new ReadingIngress();
        })
        .withPropertyValues("cloudflow.streamlet=nope")
        .run(context -> {
          StreamletConfigurationException failure = configurationFailure(context);
          assertThat(failure.getMessage()).contains("Unknown streamlet 'nope'");
          assertThat(failure.getAction()).contains("doubler, source");
          // refused while the bean definitions were read: no streamlet, web server or broker was created
          assertThat(created).as("streamlet beans created").hasValue(0);
        });
  }

  @Test
  void failsOnAnUnknownStreamletGivenInTheShortFormStreamletProperty() {
    withTwoStreamlets()
        .withInitializer(ctx -> new CloudflowDefaultsEnvironmentPostProcessor().postProcessEnvironment(ctx.getEnvironment(), null))
        .withPropertyValues("streamlet=nope")
        .run(context -> {
          StreamletConfigurationException failure = configurationFailure(context);
          assertThat(failure.getMessage()).contains("Unknown streamlet 'nope'");
          assertThat(failure.getAction()).contains("doubler, source");
        });
  }

  @Test
  void failsWhenSeveralStreamletsExistAndNoneIsChosen() {
    withTwoStreamlets().run(context -> {
      StreamletConfigurationException failure = configurationFailure(context);
      assertThat(failure.getMessage()).contains("No streamlet chosen", "2 streamlets", "doubler, source");
      assertThat(failure.getAction())
          .contains("--streamlet=<name>", "doubler, source", "'local' profile", "cloudflow.local=true");
    });
  }

  @Test
  void failsWhenAPortOfTheSelectedStreamletHasNoTopic() {
    contextRunner
        .withBean("doubler", FlinkStreamlet.class, ReadingProcessor::new)
        .withPropertyValues("cloudflow.streamlets.doubler.ports.in.topic=readings")
        .run(context -> {
          StreamletConfigurationException failure = configurationFailure(context);
          assertThat(failure.getMessage())
              .contains("Streamlet 'doubler'", "cloudflow.streamlets.doubler.ports.out.topic")
              .doesNotContain("ports.in.topic");
          assertThat(failure.getAction()).contains("Set cloudflow.streamlets.doubler.ports.out.topic");
        });
  }

  @Test
  void failsWhenATopicIsConfiguredForAnUnknownStreamlet() {
    withTwoStreamlets()
        .withPropertyValues("cloudflow.streamlet=doubler", "cloudflow.streamlets.nope.ports.in.topic=readings")
        .run(context -> {
          StreamletConfigurationException failure = configurationFailure(context);
          assertThat(failure.getMessage()).contains("cloudflow.streamlets.nope").contains("names no streamlet");
          assertThat(failure.getAction()).contains("doubler, source");
        });
  }

  @Test
  void failsWhenATopicIsConfiguredForAnUnknownPort() {
    withTwoStreamlets()
        .withPropertyValues("cloudflow.streamlet=doubler", "cloudflow.streamlets.doubler.ports.input.topic=readings")
        .run(context -> {
          StreamletConfigurationException failure = configurationFailure(context);
          assertThat(failure.getMessage())
              .contains("cloudflow.streamlets.doubler.ports.input")
              .contains("names no port of streamlet 'doubler'");
          assertThat(failure.getAction()).contains("in, out");
        });
  }

  @Test
  void failsNamingTheStreamletWhoseShapeCannotBeRead() {
    contextRunner.withBean("broken", FlinkStreamlet.class, BrokenShapeStreamlet::new).run(context -> {
      StreamletConfigurationException failure = configurationFailure(context);
      assertThat(failure.getMessage())
          .contains("streamlet 'broken'", BrokenShapeStreamlet.class.getName(), BrokenShapeStreamlet.BAD_PORT);
      assertThat(failure.getAction()).contains("BrokenShapeStreamlet.shape()");
      assertThat(failure).hasCauseInstanceOf(IllegalArgumentException.class);
    });
  }

  // --- contexts that start, with a runner that submits nothing ---

  @Test
  void readsShapesWithoutBuildingLogic() {
    LogicFailingStreamlet streamlet = new LogicFailingStreamlet();
    contextRunner
        .withBean("sink", FlinkStreamlet.class, () -> streamlet)
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("cloudflow.streamlets.sink.ports.in.topic=readings")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(StreamletRegistry.class);
          StreamletRegistry registry = context.getBean(StreamletRegistry.class);
          assertThat(registry.names()).containsExactly("sink");
          assertThat(registry.shape("sink").ports()).extracting(StreamletPort::name).containsExactly("in");
          assertThat(streamlet.createLogicCalls()).isZero();
        });
  }

  @Test
  void runsTheOnlyStreamletWhenNoneIsChosen() {
    contextRunner
        .withBean("doubler", FlinkStreamlet.class, ReadingProcessor::new)
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues(
            "cloudflow.streamlets.doubler.ports.in.topic=readings",
            "cloudflow.streamlets.doubler.ports.out.topic=doubled")
        .run(context -> {
          StreamletLauncher launcher = context.getBean(StreamletLauncher.class);
          assertThat(launcher.definitions()).singleElement().satisfies(definition -> {
            assertThat(definition.streamletRef()).isEqualTo("doubler");
            assertThat(definition.portMappings()).isEqualTo(Map.of("in", "readings", "out", "doubled"));
          });
        });
  }

  @Test
  void runsOnlyTheChosenStreamlet() {
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("cloudflow.streamlet=source")
        .run(context -> {
          StreamletLauncher launcher = context.getBean(StreamletLauncher.class);
          assertThat(launcher.definitions()).extracting(StreamletDefinition::streamletRef).containsExactly("source");
          StreamletJobs runner = context.getBean(StreamletJobs.class);
          verify(runner).run(same(context.getBean("source", FlinkStreamlet.class)), any(StreamletDefinition.class));
          verify(runner, never()).run(same(context.getBean("doubler", FlinkStreamlet.class)), any());
        });
  }

  @Test
  void runsTheStreamletChosenWithTheShortFormStreamletProperty() {
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withInitializer(ctx -> new CloudflowDefaultsEnvironmentPostProcessor().postProcessEnvironment(ctx.getEnvironment(), null))
        .withPropertyValues("streamlet=doubler")
        .run(context -> assertThat(context.getBean(StreamletLauncher.class).definitions())
            .extracting(StreamletDefinition::streamletRef)
            .containsExactly("doubler"));
  }

  @Test
  void runsEveryStreamletInLocalMode() {
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("cloudflow.local=true")
        .run(context -> {
          StreamletLauncher launcher = context.getBean(StreamletLauncher.class);
          assertThat(launcher.definitions())
              .extracting(StreamletDefinition::streamletRef)
              .containsExactly("doubler", "source");
          assertThat(launcher.executions()).extracting(e -> e.streamletRef()).containsExactly("doubler", "source");
          StreamletJobs runner = context.getBean(StreamletJobs.class);
          launcher.definitions().forEach(definition -> verify(runner).prepare(any(), same(definition)));
        });
  }

  @Test
  void exitsAfterTheJobsRanOnlyWhenAskedTo() {
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("cloudflow.streamlet=doubler")
        .run(context -> assertThat(context).doesNotHaveBean(TimedExit.class));
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("cloudflow.streamlet=doubler", "cloudflow.exit-after=5s")
        .run(context -> assertThat(context).hasSingleBean(TimedExit.class));
  }

  @Test
  void runsEveryStreamletWhenTheLocalProfileIsActive() {
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("spring.profiles.active=local")
        .run(context -> assertThat(context.getBean(StreamletLauncher.class).definitions())
            .extracting(StreamletDefinition::streamletRef)
            .containsExactly("doubler", "source"));
  }

  @Test
  void givesStreamletsTheSpringPropertiesAsConfig() {
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("cloudflow.streamlet=doubler", "doubler.factor=3")
        .run(context -> {
          StreamletDefinition definition = context.getBean(StreamletLauncher.class).definitions().get(0);
          assertThat(definition.config().getInt("doubler.factor")).isEqualTo(3);
          assertThat(definition.config().getString("cloudflow.streamlets.doubler.ports.in.topic")).isEqualTo("readings");
        });
  }

  @Test
  void usesTheApplicationIdProperty() {
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("cloudflow.streamlet=doubler", "cloudflow.application-id=sensors", "spring.application.name=other")
        .run(context -> assertThat(context.getBean(StreamletLauncher.class).definitions().get(0).applicationId())
            .isEqualTo("sensors"));
  }

  @Test
  void fallsBackToTheSpringApplicationNameAsApplicationId() {
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("cloudflow.streamlet=doubler", "spring.application.name=sensor-app")
        .run(context -> assertThat(context.getBean(StreamletLauncher.class).definitions().get(0).applicationId())
            .isEqualTo("sensor-app"));
  }

  @Test
  void defaultsTheApplicationIdWhenNothingNamesTheApplication() {
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("cloudflow.streamlet=doubler")
        .run(context -> assertThat(context.getBean(StreamletLauncher.class).definitions().get(0).applicationId())
            .isEqualTo("cloudflow-app"));
  }

  @Test
  void buildsKafkaSettingsFromSpringKafkaProperties() {
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues(
            "cloudflow.streamlet=doubler",
            "spring.kafka.bootstrap-servers=kafka-1:9092,kafka-2:9092",
            "spring.kafka.properties.sasl.mechanism=PLAIN")
        .run(context -> {
          assertThat(context).hasSingleBean(KafkaSettings.class);
          KafkaSettings settings = context.getBean(KafkaSettings.class);
          assertThat(settings.consumer().bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
          assertThat(settings.consumer().properties()).containsEntry("sasl.mechanism", "PLAIN");
          assertThat(settings.producer().properties()).containsEntry("sasl.mechanism", "PLAIN");
        });
  }

  // --- back-off ---

  @Test
  void backsOffFromAUserDefinedKafkaSettings() {
    KafkaSettings userSettings = KafkaSettings.of("user-kafka:9092");
    withTwoStreamlets()
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withBean(KafkaSettings.class, () -> userSettings)
        .withPropertyValues("cloudflow.streamlet=doubler")
        .run(context -> {
          assertThat(context).hasSingleBean(KafkaSettings.class);
          assertThat(context.getBean(KafkaSettings.class)).isSameAs(userSettings);
        });
  }

  @Test
  void backsOffFromTheApplicationsOwnStreamletJobs() {
    StreamletJobs userRunner = TestRunners.nonSubmitting();
    withTwoStreamlets()
        .withBean(StreamletJobs.class, () -> userRunner)
        .withPropertyValues("cloudflow.streamlet=doubler")
        .run(context -> {
          assertThat(context).hasSingleBean(StreamletJobs.class).doesNotHaveBean(StreamletRunner.class);
          assertThat(context.getBean(StreamletJobs.class)).isSameAs(userRunner);
          verify(userRunner).run(same(context.getBean("doubler", FlinkStreamlet.class)), any(StreamletDefinition.class));
        });
  }

  @Test
  void backsOffFromAUserDefinedStreamletLauncher() {
    // No streamlets at all: the auto-configured launcher would fail, so starting proves it backed off.
    contextRunner.withUserConfiguration(UserLauncherConfiguration.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(StreamletLauncher.class);
      assertThat(context.getBean(StreamletLauncher.class)).isSameAs(context.getBean(UserLauncherConfiguration.class).launcher);
    });
  }

  @Test
  void backsOffFromAUserDefinedStreamletRegistry() {
    StreamletRegistry userRegistry = new StreamletRegistry(Map.of("custom", new ReadingIngress()));
    contextRunner
        .withBean(StreamletRegistry.class, () -> userRegistry)
        .withBean(StreamletJobs.class, TestRunners::nonSubmitting)
        .withPropertyValues("cloudflow.streamlets.custom.ports.out.topic=readings")
        .run(context -> {
          assertThat(context).hasSingleBean(StreamletRegistry.class);
          assertThat(context.getBean(StreamletRegistry.class)).isSameAs(userRegistry);
          assertThat(context.getBean(StreamletLauncher.class).definitions())
              .extracting(StreamletDefinition::streamletRef)
              .containsExactly("custom");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class UserLauncherConfiguration {

    final StreamletLauncher launcher =
        new StreamletLauncher(
            new StreamletRegistry(Map.of()), List.of(), TestRunners.nonSubmitting(), Duration.ofSeconds(1));

    @Bean
    StreamletLauncher userLauncher() {
      return launcher;
    }
  }
}
