package cloudflow.flink.spring.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.spring.testsupport.ParameterizedIngress;
import cloudflow.flink.spring.testsupport.ReadingIngress;
import cloudflow.flink.spring.testsupport.ReadingProcessor;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/** Tests for {@link SpringStreamletResolver}: bean names, class names with one bean, classes created by the bean factory. */
class SpringStreamletResolverTest {

  private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

  private final SpringStreamletResolver resolver = new SpringStreamletResolver(beanFactory);

  @Test
  void resolvesABeanName() {
    ReadingProcessor copier = new ReadingProcessor();
    beanFactory.registerSingleton("copier", copier);

    assertThat(resolver.resolve("copier")).isSameAs(copier);
  }

  @Test
  void resolvesAClassNameToTheOnlyBeanOfThatClass() {
    ReadingProcessor copier = new ReadingProcessor();
    beanFactory.registerSingleton("copier", copier);

    assertThat(resolver.resolve(ReadingProcessor.class.getName())).isSameAs(copier);
  }

  @Test
  void createsAnInstanceOfAClassThatIsNoBeanWithoutRegisteringIt() {
    FlinkStreamlet streamlet = resolver.resolve(ParameterizedIngress.class.getName());

    assertThat(streamlet).isExactlyInstanceOf(ParameterizedIngress.class);
    assertThat(beanFactory.getBeanNamesForType(ParameterizedIngress.class)).isEmpty();
  }

  @Test
  void createsAnInstanceWhenSeveralBeansHaveTheClass() {
    ReadingIngress one = new ReadingIngress();
    ReadingIngress two = new ReadingIngress();
    beanFactory.registerSingleton("one", one);
    beanFactory.registerSingleton("two", two);

    assertThat(resolver.resolve(ReadingIngress.class.getName()))
        .isExactlyInstanceOf(ReadingIngress.class)
        .isNotSameAs(one)
        .isNotSameAs(two);
  }

  @Test
  void autowiresTheConstructorOfACreatedStreamlet() {
    Clock clock = Clock.systemUTC();
    beanFactory.registerSingleton("clock", clock);

    FlinkStreamlet streamlet = resolver.resolve(ClockedIngress.class.getName());

    assertThat(((ClockedIngress) streamlet).clock).isSameAs(clock);
  }

  @Test
  void rejectsABeanThatIsNoStreamlet() {
    beanFactory.registerSingleton("clock", Clock.systemUTC());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> resolver.resolve("clock"))
        .withMessageStartingWith("bean 'clock' is a java.time.")
        .withMessageEndingWith(", not a FlinkStreamlet");
  }

  @Test
  void rejectsAnUnknownNameListingTheStreamletBeans() {
    beanFactory.registerSingleton("copier", new ReadingProcessor());
    beanFactory.registerSingleton("source", new ReadingIngress());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> resolver.resolve("com.example.Missing"))
        .withMessage("no streamlet bean or class named 'com.example.Missing'; streamlet beans: copier, source");
  }

  @Test
  void rejectsAClassThatIsNoStreamlet() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> resolver.resolve("java.lang.String"))
        .withMessage("java.lang.String is not a FlinkStreamlet");
  }

  /** A streamlet with a constructor dependency. */
  static class ClockedIngress extends ReadingIngress {

    final Clock clock;

    ClockedIngress(Clock clock) {
      this.clock = clock;
    }
  }
}
