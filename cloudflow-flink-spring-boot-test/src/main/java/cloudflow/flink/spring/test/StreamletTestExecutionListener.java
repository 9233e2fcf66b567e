package cloudflow.flink.spring.test;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Tells the context's {@link StreamletTestKafka} where each test method begins and ends, so that a
 * test reads only the outlet records written since it began, even when its application context (and
 * the streamlet's running job) is shared with earlier tests. Registered in
 * {@code META-INF/spring.factories}; does nothing in contexts without that bean.
 */
public class StreamletTestExecutionListener extends AbstractTestExecutionListener {

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE - 100;
  }

  @Override
  public void beforeTestMethod(TestContext testContext) {
    StreamletTestKafka kafka = kafkaOf(testContext);
    if (kafka != null) {
      kafka.beginTest(testContext.getTestClass().getSimpleName() + "." + testContext.getTestMethod().getName());
    }
  }

  @Override
  public void afterTestMethod(TestContext testContext) {
    StreamletTestKafka kafka = kafkaOf(testContext);
    if (kafka != null) {
      kafka.endTest();
    }
  }

  private static StreamletTestKafka kafkaOf(TestContext testContext) {
    if (!testContext.hasApplicationContext()) {
      return null;
    }
    return testContext.getApplicationContext().getBeanProvider(StreamletTestKafka.class).getIfAvailable();
  }
}
