package cloudflow.flink.spring.test.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.spring.test.StreamletTest;
import cloudflow.flink.spring.test.StreamletTestKafka;
import cloudflow.flink.spring.test.app.TestStreamletApplication.Doubler;
import cloudflow.flink.spring.test.data.Reading;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * A second test class with the same {@code @StreamletTest}: it shares the context, broker and job of
 * {@link StreamletTestKafkaTest}, yet each test method reads only what was written since it began.
 */
@StreamletTest("doubler")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedContextTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Autowired EmbeddedKafkaBroker broker;
  @Autowired StreamletTestKafka kafka;
  @Autowired Doubler doubler;

  @Test
  @Order(1)
  void sharesOneBrokerWithOtherTestClassesOfTheSameStreamlet() {
    assertThat(SharedContexts.record(broker)).hasSize(1);
  }

  @Test
  @Order(2)
  void writesARecordTheNextTestDoesNotSee() {
    kafka.send(doubler.in, List.of(new Reading("earlier", 1L)), Reading::getId);

    assertThat(kafka.receive(doubler.out, 1, TIMEOUT)).containsExactly(new Reading("earlier", 2L));
  }

  @Test
  @Order(3)
  void readsOnlyWhatWasWrittenSinceItBegan() {
    assertThatThrownBy(() -> kafka.receive(doubler.out, 1, Duration.ofSeconds(1)))
        .hasMessageContaining("but none arrived.")
        .hasMessageMatching("(?s).*\\(\\d+ records written to the topic before "
            + "SharedContextTest.readsOnlyWhatWasWrittenSinceItBegan began were skipped\\).*");

    kafka.send(doubler.in, List.of(new Reading("later", 7L)), Reading::getId);

    assertThat(kafka.receive(doubler.out, 1, TIMEOUT)).containsExactly(new Reading("later", 14L));
  }
}
