package cloudflow.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.metrics.StreamletMeters;
import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.avro.AvroCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** An outlet's serializer: the record it writes, and the port metrics it registers once. */
class CodecRecordSerializerTest {

  private final List<String> registered = new ArrayList<>();

  private final MetricGroup operatorGroup = new UnregisteredMetricsGroup() {
    @Override
    public MetricGroup addGroup(String key, String value) {
      registered.add(key + "=" + value);
      return this;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
      registered.add(name);
      return gauge;
    }
  };

  private final SerializationSchema.InitializationContext context = new SerializationSchema.InitializationContext() {
    @Override
    public MetricGroup getMetricGroup() {
      return operatorGroup;
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
      return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
    }
  };

  @Test
  void registersThePortsMetricsOnceHoweverOftenItIsOpened() throws Exception {
    CodecRecordSerializer<Reading> serializer =
        new CodecRecordSerializer<>("out", "readings", new AvroCodec<>(Reading.class), reading -> reading.getId().toString());
    // flink-connector-kafka's exactly-once writer opens it twice
    serializer.open(context, null);
    serializer.open(context, null);
    assertThat(registered).containsExactly(
        StreamletMeters.PORT_GROUP + "=out", StreamletMeters.TOPIC_GROUP + "=readings", StreamletMeters.OUTLET_METRIC);

    ProducerRecord<byte[], byte[]> record = serializer.serialize(new Reading("s-1", 7L), null, 42L);
    assertThat(record.topic()).isEqualTo("readings");
    assertThat(record.timestamp()).isEqualTo(42L);
    assertThat(new String(record.key())).isEqualTo("s-1");
    assertThat(new AvroCodec<>(Reading.class).decode(record.value())).isEqualTo(new Reading("s-1", 7L));
  }
}
