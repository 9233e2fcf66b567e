package cloudflow.flink.spring.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Has the streamlet launcher created before the web server. Creating the launcher starts preparing
 * the streamlets' jobs in the background (topics, settings, the local Flink cluster, the graph, and
 * a local job's submission: {@code StreamletRunner.prepare}), and that work is the longest part of a
 * streamlet's startup; Spring creates the web server (in {@code onRefresh}) before all other
 * singletons, so without this the preparation would start only after it. Each web server factory bean
 * is made to depend on the launcher; without a web server (or a launcher) nothing changes.
 */
final class LauncherBeforeWebServer implements BeanFactoryPostProcessor {

  /** Spring Boot's web server factory type, named so that the starter needs no web server on its class path. */
  static final String WEB_SERVER_FACTORY = "org.springframework.boot.web.server.WebServerFactory";

  private final String webServerFactoryType;

  LauncherBeforeWebServer() {
    this(WEB_SERVER_FACTORY);
  }

  LauncherBeforeWebServer(String webServerFactoryType) {
    this.webServerFactoryType = webServerFactoryType;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    ClassLoader classLoader = beanFactory.getBeanClassLoader();
    if (!ClassUtils.isPresent(webServerFactoryType, classLoader)) {
      return;
    }
    // without eager initialization: nothing is created here, the types come from the definitions
    String[] launchers = beanFactory.getBeanNamesForType(StreamletLauncher.class, true, false);
    if (launchers.length == 0) {
      return;
    }
    Class<?> factoryType = ClassUtils.resolveClassName(webServerFactoryType, classLoader);
    for (String factory : beanFactory.getBeanNamesForType(factoryType, true, false)) {
      BeanDefinition definition = beanFactory.getBeanDefinition(factory);
      Set<String> dependsOn = new LinkedHashSet<>();
      if (definition.getDependsOn() != null) {
        dependsOn.addAll(List.of(definition.getDependsOn()));
      }
      dependsOn.addAll(List.of(launchers));
      definition.setDependsOn(dependsOn.toArray(String[]::new));
    }
  }
}
