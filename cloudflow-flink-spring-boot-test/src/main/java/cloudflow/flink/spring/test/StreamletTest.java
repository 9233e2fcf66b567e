package cloudflow.flink.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;

/**
 * Runs one streamlet of the application under test through the real auto-configuration, the way
 * {@code java -jar app.jar --streamlet=<value>} runs it: on the embedded Kafka broker the starter
 * starts when no {@code spring.kafka.bootstrap-servers} is set (or on the broker that property
 * names), as a Flink job on a local cluster. The test gets a {@link StreamletTestKafka} bean to send
 * records to the streamlet's inlets and read what it writes to its outlets.
 *
 * <pre>{@code
 * @StreamletTest(value = "processor", properties = "cloudflow.streamlets.processor.config-parameters.alert-threshold=25")
 * class SensorStatsProcessorTest {
 *
 *   @Autowired StreamletTestKafka kafka;
 *   @Autowired SensorStatsProcessor processor;
 *
 *   @Test
 *   void summarisesReadings() {
 *     kafka.send(processor.in, List.of(reading1, reading2), SensorReading::getSensorId);
 *     List<KeyedRecord<SensorSummary>> summaries = kafka.receiveKeyed(processor.out, 2, Duration.ofSeconds(30));
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>This is a {@link SpringBootTest} (so the JUnit 5 {@code SpringExtension} is registered) without a
 * web server unless {@link #webEnvironment()} says otherwise. Spring's test context cache shares one
 * application context, and so one broker and one running job, between all test classes with the same
 * streamlet and properties; see {@link StreamletTestKafka} for how tests sharing it stay apart.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest
@ImportAutoConfiguration
public @interface StreamletTest {

  /**
   * The name of the streamlet to run (sets {@code cloudflow.streamlet}). Empty: the application's
   * only streamlet, or all of them with {@code cloudflow.local=true}.
   */
  @PropertyMapping(value = "cloudflow.streamlet", skip = PropertyMapping.Skip.ON_DEFAULT_VALUE)
  String value() default "";

  /** Properties in {@code key=value} form added to the environment, e.g. config parameter values. */
  @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
  String[] properties() default {};

  /** The configuration classes of the context; by default the test's {@code @SpringBootConfiguration}. */
  @AliasFor(annotation = SpringBootTest.class, attribute = "classes")
  Class<?>[] classes() default {};

  /** The web environment; none by default, as a streamlet's job needs no web server. */
  @AliasFor(annotation = SpringBootTest.class, attribute = "webEnvironment")
  SpringBootTest.WebEnvironment webEnvironment() default SpringBootTest.WebEnvironment.NONE;
}
