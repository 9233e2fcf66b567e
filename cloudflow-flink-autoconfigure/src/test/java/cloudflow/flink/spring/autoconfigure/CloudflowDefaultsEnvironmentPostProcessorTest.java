package cloudflow.flink.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.mock.env.MockEnvironment;

/** Tests for {@link CloudflowDefaultsEnvironmentPostProcessor}. */
class CloudflowDefaultsEnvironmentPostProcessorTest {

  private final CloudflowDefaultsEnvironmentPostProcessor postProcessor = new CloudflowDefaultsEnvironmentPostProcessor();

  @Test
  void mapsTheShortFormStreamletPropertyToCloudflowStreamlet() {
    MockEnvironment environment = new MockEnvironment().withProperty("streamlet", "doubler");

    postProcessor.postProcessEnvironment(environment, null);

    assertThat(environment.getProperty("cloudflow.streamlet")).isEqualTo("doubler");
  }

  @Test
  void leavesCloudflowStreamletEmptyWithoutTheShortForm() {
    MockEnvironment environment = new MockEnvironment();

    postProcessor.postProcessEnvironment(environment, null);

    assertThat(environment.getProperty("cloudflow.streamlet")).isEmpty();
  }

  @Test
  void letsAnExplicitCloudflowStreamletWinOverTheShortForm() {
    MockEnvironment environment =
        new MockEnvironment().withProperty("streamlet", "doubler").withProperty("cloudflow.streamlet", "source");

    postProcessor.postProcessEnvironment(environment, null);

    assertThat(environment.getProperty("cloudflow.streamlet")).isEqualTo("source");
  }

  @Test
  void exposesOnlyHealthInfoAndPrometheusByDefault() {
    MockEnvironment environment = new MockEnvironment();

    postProcessor.postProcessEnvironment(environment, null);

    assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isEqualTo("health,info,prometheus");
    assertThat(environment.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
    assertThat(environment.getProperty("management.endpoint.health.group.readiness.include"))
        .isEqualTo("readinessState,streamlets");
    assertThat(environment.getProperty("management.endpoint.health.group.liveness.include"))
        .isEqualTo("livenessState,streamletsLiveness");
  }

  @Test
  void letsUserSettingsWinOverTheDefaults() {
    MockEnvironment environment = new MockEnvironment().withProperty("management.endpoints.web.exposure.include", "*");

    postProcessor.postProcessEnvironment(environment, null);

    assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isEqualTo("*");
    assertThat(environment.getPropertySources().stream().reduce((first, second) -> second).orElseThrow().getName())
        .isEqualTo(CloudflowDefaultsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
    assertThat(postProcessor.getOrder()).isEqualTo(Ordered.LOWEST_PRECEDENCE);
  }

  @Test
  void isAppliedBySpringApplication() {
    SpringApplication application = new SpringApplication(EmptyConfiguration.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    try (ConfigurableApplicationContext context = application.run("--streamlet=doubler")) {
      ConfigurableEnvironment environment = context.getEnvironment();
      assertThat(environment.getPropertySources().contains(CloudflowDefaultsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
          .isTrue();
      assertThat(environment.getProperty("cloudflow.streamlet")).isEqualTo("doubler");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class EmptyConfiguration {}
}
