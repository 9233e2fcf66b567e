package cloudflow.flink.spring.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import cloudflow.flink.spring.testsupport.ReadingProcessor;
import cloudflow.flink.spring.testsupport.TestRunners;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class StreamletsEndpointAutoConfigurationTest {

  private final StreamletLauncher launcher = new StreamletLauncher(
      new StreamletRegistry(Map.<String, FlinkStreamlet>of("doubler", new ReadingProcessor())),
      List.of(new StreamletDefinition("app", "doubler", Map.of("in", "readings", "out", "doubled"), ConfigFactory.empty())),
      TestRunners.nonSubmitting(), Duration.ofSeconds(1));

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(StreamletsEndpointAutoConfiguration.class))
      .withBean(StreamletLauncher.class, () -> launcher);

  @Test
  void isNotThereUnlessExposed() {
    runner.run(context -> assertThat(context).doesNotHaveBean(StreamletsEndpoint.class));
  }

  @Test
  void isThereWhenExposedOverHttp() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=health,streamlets")
        .run(context -> assertThat(context).hasSingleBean(StreamletsEndpoint.class)
            .hasSingleBean(StreamletsEndpointWebExtension.class));
  }

  @Test
  void answersWithTheStatusThatFitsARefusal() {
    StreamletsEndpointWebExtension web = new StreamletsEndpointWebExtension(new StreamletsEndpoint(launcher));

    assertThat(web.streamlet("nope").getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
    assertThat(web.act("doubler", "suspend").getStatus()).as("before the jobs are submitted")
        .isEqualTo(StreamletsEndpointWebExtension.STATUS_CONFLICT);
    launcher.start();
    assertThat(web.act("doubler", "suspend").getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
    assertThat(web.act("doubler", "savepoint").getBody())
        .isEqualTo(new StreamletsEndpointWebExtension.Refusal(409,
            "Streamlet 'doubler' is suspended: its job does not run; resume it first"));
    assertThat(new StreamletsEndpoint(launcher).streamlet("doubler").state()).startsWith("SUSPENDED");
    launcher.stop();
  }
}
