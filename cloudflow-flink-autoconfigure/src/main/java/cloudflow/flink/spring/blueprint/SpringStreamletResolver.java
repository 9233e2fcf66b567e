package cloudflow.flink.spring.blueprint;

import cloudflow.blueprint.StreamletResolver;
import cloudflow.flink.FlinkStreamlet;
import java.util.Map;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Resolves a blueprint's streamlet entries in a Spring application: a bean name, else a class name
 * with exactly one bean of that class, else a new instance of the class created (and autowired) by
 * the bean factory, so one class can appear under several names.
 */
public final class SpringStreamletResolver implements StreamletResolver {

  private final ConfigurableListableBeanFactory beanFactory;

  /** Creates a resolver over the given bean factory. */
  public SpringStreamletResolver(ConfigurableListableBeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public FlinkStreamlet resolve(String beanOrClass) {
    if (beanFactory.containsBean(beanOrClass)) {
      Object bean = beanFactory.getBean(beanOrClass);
      if (bean instanceof FlinkStreamlet streamlet) {
        return streamlet;
      }
      throw new IllegalArgumentException("bean '" + beanOrClass + "' is a " + bean.getClass().getName() + ", not a FlinkStreamlet");
    }
    Class<?> type;
    try {
      type = ClassUtils.forName(beanOrClass, beanFactory.getBeanClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("no streamlet bean or class named '" + beanOrClass + "'; streamlet beans: "
          + String.join(", ", beanFactory.getBeanNamesForType(FlinkStreamlet.class)));
    }
    if (!FlinkStreamlet.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(beanOrClass + " is not a FlinkStreamlet");
    }
    Map<String, ?> beans = beanFactory.getBeansOfType(type);
    if (beans.size() == 1) {
      return (FlinkStreamlet) beans.values().iterator().next();
    }
    return (FlinkStreamlet) beanFactory.createBean(type, AutowireCapableBeanFactory.AUTOWIRE_CONSTRUCTOR, false);
  }
}
