package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.plan.InvalidStreamletPlanException;
import cloudflow.flink.plan.StreamletPlanner;
import cloudflow.flink.spring.blueprint.BlueprintLoader;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;
import cloudflow.flink.spring.properties.CloudflowProperties;
import cloudflow.flink.spring.streamlets.StreamletSelection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Refuses an unknown {@code --streamlet} while the application
 * context is still being prepared: before the web server, the embedded broker or any Flink cluster
 * starts, so the message comes in about a second instead of after all of them. It reads the names
 * from the blueprint or the streamlet beans' definitions, without creating a streamlet, and fails as
 * {@link StreamletPlanner} would later. A choice it cannot judge from the definitions alone (a bean
 * whose type is only known once created) is left to that later check.
 */
final class StreamletChoiceCheck implements BeanFactoryPostProcessor, EnvironmentAware, ResourceLoaderAware {

  private ConfigurableEnvironment environment;
  private ResourceLoader resourceLoader;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = (ConfigurableEnvironment) environment;
  }

  @Override
  public void setResourceLoader(ResourceLoader resourceLoader) {
    this.resourceLoader = resourceLoader;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    Binder binder = Binder.get(environment);
    String chosen = binder.bind("cloudflow.streamlet", String.class).orElse("");
    if (chosen.isBlank()) {
      // no choice to judge: the blueprint's verification speaks first, then the planner (none among several)
      return;
    }
    boolean runAll = binder.bind("cloudflow.local", Boolean.class).orElse(false) || environment.matchesProfiles("local");
    CloudflowProperties.BlueprintSettings blueprint =
        binder.bind("cloudflow.blueprint", CloudflowProperties.BlueprintSettings.class)
            .orElseGet(CloudflowProperties.BlueprintSettings::new);
    Set<String> names = new LinkedHashSet<>();
    boolean fromBlueprint = BlueprintLoader.load(blueprint, resourceLoader)
        .map(loaded -> names.addAll(loaded.streamlets().keySet()))
        .isPresent();
    if (!fromBlueprint) {
      names.addAll(List.of(beanFactory.getBeanNamesForType(FlinkStreamlet.class, true, false)));
      boolean unjudged = !names.contains(chosen) && beanFactory.containsBean(chosen);
      if (names.isEmpty() || unjudged) {
        return; // no streamlets, or a bean of that name whose type the definitions do not tell: decided later
      }
    }
    try {
      StreamletPlanner.selectedNames(chosen, runAll, names, StreamletSelection.PROPERTY_NAMES);
    } catch (InvalidStreamletPlanException e) {
      throw new StreamletConfigurationException(e.getMessage(), e.action(), e);
    }
  }
}
