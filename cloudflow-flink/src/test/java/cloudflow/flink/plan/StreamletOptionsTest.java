package cloudflow.flink.plan;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.kafka.KafkaStreamletContext;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/** The one place of the starter's defaults: each a described option, and the clients use their values. */
class StreamletOptionsTest {

  @Test
  void everyDefaultIsAnOptionWithADefaultValueAndADescription() throws Exception {
    List<ConfigOption<?>> options = new ArrayList<>();
    for (Field field : StreamletOptions.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
        options.add((ConfigOption<?>) field.get(null));
      }
    }

    assertThat(options).hasSizeGreaterThan(10).allSatisfy(option -> {
      assertThat(option.hasDefaultValue()).as(option.key()).isTrue();
      assertThat(option.description().toString()).as(option.key()).isNotBlank();
    });
  }

  @Test
  void kafkaClientDefaultsComeFromTheOptions() {
    assertThat(KafkaStreamletContext.DEFAULT_PRODUCER_PROPERTIES)
        .containsEntry("linger.ms", "10").containsEntry("batch.size", "65536");
    assertThat(KafkaStreamletContext.DEFAULT_CONSUMER_PROPERTIES).containsEntry("max.poll.records", "2000");
    assertThat(KafkaStreamletContext.DEFAULT_TRANSACTION_TIMEOUT_MS).isEqualTo("600000");
  }
}
