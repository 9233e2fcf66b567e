package cloudflow.flink.spring.test.app;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.spring.test.StreamletTest;
import cloudflow.flink.spring.test.StreamletTestKafka;
import cloudflow.flink.spring.test.app.TestStreamletApplication.Totals;
import cloudflow.flink.spring.test.data.proto.Count;
import cloudflow.flink.spring.test.data.proto.Total;
import cloudflow.flink.testkit.KeyedRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A streamlet with Protobuf ports, run through the real auto-configuration against a broker. */
@StreamletTest("totals")
class ProtoStreamletTestKafkaTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Autowired StreamletTestKafka kafka;
  @Autowired Totals totals;

  private static Count count(String name, long amount) {
    return Count.newBuilder().setName(name).setAmount(amount).build();
  }

  private static Total total(String name, long amount, int counts) {
    return Total.newBuilder().setName(name).setAmount(amount).setCounts(counts).build();
  }

  @Test
  void sendsAndReceivesProtobufMessagesWithThePartitionersKeys() {
    kafka.send(totals.in, List.of(count("x", 1), count("y", 10), count("x", 2), count("x", 4)), Count::getName);

    List<KeyedRecord<Total>> received = kafka.receiveKeyed(totals.out, 4, TIMEOUT);

    assertThat(received).filteredOn(r -> r.key().equals("x")).extracting(KeyedRecord::record)
        .containsExactly(total("x", 1, 1), total("x", 3, 2), total("x", 7, 3));
    assertThat(received).filteredOn(r -> r.key().equals("y")).containsExactly(new KeyedRecord<>("y", total("y", 10, 1)));
  }
}
