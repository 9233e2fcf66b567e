package cloudflow.flink.spring.test.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import cloudflow.flink.spring.test.StreamletTest;
import cloudflow.flink.spring.test.StreamletTestKafka;
import cloudflow.flink.spring.test.app.TestStreamletApplication.Doubler;
import cloudflow.flink.spring.test.app.TestStreamletApplication.Printer;
import cloudflow.flink.spring.test.data.Reading;
import cloudflow.flink.testkit.KeyedRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/** Sending to and receiving from the running {@code doubler} streamlet, and what failures say. */
@StreamletTest("doubler")
class StreamletTestKafkaTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Autowired StreamletTestKafka kafka;
  @Autowired StreamletLauncher launcher;
  @Autowired Doubler doubler;
  @Autowired Printer printer;
  @Autowired EmbeddedKafkaBroker broker;

  @Test
  void runsTheStreamletTheAnnotationNames() {
    assertThat(SharedContexts.record(broker)).as("brokers of test classes with the same @StreamletTest").hasSize(1);

    kafka.awaitRunning(TIMEOUT);

    assertThat(launcher.definitions()).extracting(StreamletDefinition::streamletRef).containsExactly("doubler");
    assertThat(launcher.executions()).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(JobStatus.RUNNING));
    assertThat(kafka.topicOf("in")).isEqualTo("numbers");
    assertThat(kafka.topicOf("doubler.out")).isEqualTo("doubled");
  }

  @Test
  void sentRecordsComeOutOfTheOutletWithThePartitionersKeys() {
    kafka.send(doubler.in, List.of(new Reading("a-1", 1L), new Reading("a-2", 2L), new Reading("a-1", 3L)), Reading::getId);

    List<KeyedRecord<Reading>> received = kafka.receiveKeyed(doubler.out, 3, TIMEOUT);

    assertThat(received)
        .containsExactlyInAnyOrder(
            new KeyedRecord<>("a-1", new Reading("a-1", 2L)),
            new KeyedRecord<>("a-2", new Reading("a-2", 4L)),
            new KeyedRecord<>("a-1", new Reading("a-1", 6L)));
    // records with the same key stay in order
    assertThat(received.stream().filter(r -> r.key().equals("a-1")).map(r -> r.record().getValue()))
        .containsExactly(2L, 6L);
  }

  @Test
  void portsCanBeNamedAndSuccessiveReceivesReturnSuccessiveRecords() {
    kafka.send("in", List.of(new Reading("b-1", 10L), new Reading("b-1", 20L)), Reading::getId);

    List<Reading> received = new ArrayList<>(kafka.<Reading>receive("out", 1, TIMEOUT));
    received.addAll(kafka.<Reading>receive("doubler.out", 1, TIMEOUT));

    assertThat(received).containsExactly(new Reading("b-1", 20L), new Reading("b-1", 40L));
  }

  @Test
  void aTimeoutSaysHowManyOfHowManyArrivedAndListsThem() {
    kafka.send(doubler.in, List.of(new Reading("c-1", 5L), new Reading("c-2", 6L)), Reading::getId);

    // records that arrived before a timeout stay for the next call, so this settles once both are in
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThatThrownBy(() -> kafka.receive(doubler.out, 3, Duration.ofMillis(500)))
            .hasMessageContaining("but 2 arrived"));
    assertThatThrownBy(() -> kafka.receive(doubler.out, 3, Duration.ofSeconds(1)))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "Expected 3 records from outlet 'out' of streamlet 'doubler' (topic 'doubled') within 1 s, but 2 arrived:")
        .hasMessageContaining("key=c-1 {\"id\": \"c-1\", \"value\": 10}")
        .hasMessageContaining("key=c-2 {\"id\": \"c-2\", \"value\": 12}")
        .hasMessageEndingWith("Streamlet 'doubler': job RUNNING");
  }

  @Test
  void aTimeoutWithNothingArrivedSaysSo() {
    assertThatThrownBy(() -> kafka.receive(doubler.out, 1, Duration.ofSeconds(1)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected 1 records from outlet 'out' of streamlet 'doubler'")
        .hasMessageContaining("but none arrived.")
        .hasMessageContaining("Streamlet 'doubler': job ");
  }

  @Test
  void portsThatDoNotRunHereAreRefusedWithTheRunningOnesListed() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> kafka.send("input", List.of(new Reading("d", 1L))))
        .withMessage("No running streamlet has an inlet 'input'. Running: doubler (inlets: in → numbers [Reading];"
            + " outlets: out → doubled [Reading])");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> kafka.send(printer.in, List.of(new Reading("d", 1L))))
        .withMessageStartingWith("The inlet 'in' belongs to streamlet 'printer', which does not run in this test.");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> kafka.send("in", List.of("not a reading")))
        .withMessage("inlet 'in' of streamlet 'doubler' takes cloudflow.flink.spring.test.data.Reading, not java.lang.String");
  }
}
