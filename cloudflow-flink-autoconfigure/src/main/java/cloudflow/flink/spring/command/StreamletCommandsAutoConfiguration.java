package cloudflow.flink.spring.command;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.spring.deploy.DeploymentSettings;
import cloudflow.flink.spring.deploy.ManifestsCommand;
import cloudflow.flink.spring.properties.CloudflowProperties;
import cloudflow.flink.spring.properties.StreamletCommandCondition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Runs {@code --cloudflow.verify}, {@code --cloudflow.describe} or {@code --cloudflow.manifests}
 * (with its {@code cloudflow.deployment.*} settings) instead of the streamlets, then
 * exits with the command's code. Nothing else of the application runs: no job, no web server, no
 * embedded broker (see the defaults environment post-processor).
 */
@AutoConfiguration
@ConditionalOnClass(FlinkStreamlet.class)
@Conditional(StreamletCommandCondition.class)
@EnableConfigurationProperties(CloudflowProperties.class)
public final class StreamletCommandsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConfigurationProperties("cloudflow.deployment")
  DeploymentSettings cloudflowDeploymentSettings() {
    return new DeploymentSettings();
  }

  @Bean
  @ConditionalOnMissingBean
  ManifestsCommand manifestsCommand(ConfigurableEnvironment environment, CloudflowProperties properties,
      DeploymentSettings settings, ConfigurableListableBeanFactory beanFactory) {
    return new ManifestsCommand(environment, properties, settings, beanFactory);
  }

  @Bean
  @ConditionalOnMissingBean
  StreamletCommands streamletCommands(Environment environment, CloudflowProperties properties,
      ConfigurableListableBeanFactory beanFactory, ResourceLoader resourceLoader, ManifestsCommand manifests) {
    return new StreamletCommands(environment, properties, beanFactory, resourceLoader, manifests);
  }

  @Bean
  ApplicationRunner streamletCommandRunner(StreamletCommands commands, ConfigurableApplicationContext context) {
    return args -> {
      int code = commands.execute(System.out);
      System.exit(SpringApplication.exit(context, () -> code));
    };
  }
}
