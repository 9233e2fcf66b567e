package cloudflow.flink.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;

class LauncherBeforeWebServerTest {

  /** Stands in for Spring Boot's web server factory type, which this module does not depend on. */
  interface ServerFactory {}

  static final class TomcatLikeFactory implements ServerFactory {
    TomcatLikeFactory(List<String> created) {
      created.add("web server factory");
    }
  }

  @Test
  void createsTheLauncherBeforeTheWebServerFactoryKeepingItsOtherDependencies() {
    List<String> created = new ArrayList<>();
    DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
    RootBeanDefinition factory = new RootBeanDefinition(TomcatLikeFactory.class, () -> new TomcatLikeFactory(created));
    factory.setDependsOn("other");
    beanFactory.registerBeanDefinition("webServerFactory", factory);
    beanFactory.registerBeanDefinition("other", new RootBeanDefinition(String.class, () -> "other"));
    RootBeanDefinition launcher = new RootBeanDefinition(StreamletLauncher.class, () -> {
      created.add("launcher");
      return null;
    });
    beanFactory.registerBeanDefinition("streamletLauncher", launcher);

    new LauncherBeforeWebServer(ServerFactory.class.getName()).postProcessBeanFactory(beanFactory);
    beanFactory.getBean("webServerFactory");

    assertThat(beanFactory.getBeanDefinition("webServerFactory").getDependsOn())
        .containsExactly("other", "streamletLauncher");
    assertThat(created).containsExactly("launcher", "web server factory");
  }

  @Test
  void changesNothingWithoutAWebServerOnTheClassPath() {
    DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
    beanFactory.registerBeanDefinition("webServerFactory", new RootBeanDefinition(TomcatLikeFactory.class));
    beanFactory.registerBeanDefinition("streamletLauncher", new RootBeanDefinition(StreamletLauncher.class));

    new LauncherBeforeWebServer("org.example.NoSuchWebServerFactory").postProcessBeanFactory(beanFactory);

    assertThat(beanFactory.getBeanDefinition("webServerFactory").getDependsOn()).isNull();
  }
}
