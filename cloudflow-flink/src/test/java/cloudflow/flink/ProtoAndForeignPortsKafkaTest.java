package cloudflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.runtime.StreamletRunner;
import cloudflow.flink.testdata.Reading;
import cloudflow.flink.testdata.proto.ProtoReading;
import cloudflow.flink.testdata.proto.ProtoSummary;
import cloudflow.flink.testdata.proto.Stats;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroCodec;
import cloudflow.streamlets.avro.AvroOutlet;
import cloudflow.streamlets.bytearray.ExternalInlet;
import cloudflow.streamlets.bytearray.ExternalOutlet;
import cloudflow.streamlets.json.JsonInlet;
import cloudflow.streamlets.proto.javadsl.ProtoInlet;
import cloudflow.streamlets.proto.javadsl.ProtoOutlet;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Protobuf, JSON and raw ports through real streamlets on a local Flink cluster and a real (embedded) broker. */
class ProtoAndForeignPortsKafkaTest {

  private static EmbeddedKafkaKraftBroker broker;

  /** Summarizes each reading; the keyBy sends the messages between operators with the Protobuf serializer. */
  static final class ProtoSummarizer extends FlinkStreamlet {
    final ProtoInlet<ProtoReading> in = ProtoInlet.create("in", ProtoReading.class);
    final ProtoOutlet<ProtoSummary> out = ProtoOutlet.create("out", ProtoSummary::getId, ProtoSummary.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          writeStream(out, readStream(in)
              .keyBy(ProtoReading::getId)
              .map(r -> ProtoSummary.newBuilder().setId(r.getId())
                  .setStats(Stats.newBuilder().setCount(r.getValue() * 10).addValues(r.getValue())).build(),
                  FlinkStreamletContext.typeInfoOf(ProtoSummary.class)));
        }
      };
    }
  }

  /** A reading as another system writes it, in JSON. */
  public record JsonReading(String sensor, long value) {}

  /** Reads JSON that a plain producer wrote, writes Avro keyed by sensor. */
  static final class JsonToAvro extends FlinkStreamlet {
    final JsonInlet<JsonReading> in = JsonInlet.create("in", JsonReading.class);
    final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          writeStream(out, readStream(in).map(j -> new Reading(j.sensor(), j.value())));
        }
      };
    }
  }

  /** Upper-cases raw text from one foreign topic into another. */
  static final class RawUpperCase extends FlinkStreamlet {
    final ExternalInlet in = ExternalInlet.create("in");
    final ExternalOutlet out = ExternalOutlet.create("out", bytes -> new String(bytes, StandardCharsets.UTF_8).substring(0, 1));

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          writeStream(out, readStream(in).map(b -> new String(b, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8)));
        }
      };
    }
  }

  @BeforeAll
  static void startBroker() {
    broker = new EmbeddedKafkaKraftBroker(1, 2, "proto-readings", "proto-summaries", "json-readings", "avro-readings",
        "raw-in", "raw-out");
    broker.afterPropertiesSet();
  }

  @AfterAll
  static void stopBroker() {
    broker.destroy();
  }

  @Test
  void roundTripsProtobufMessagesThroughAProcessorWithExactOutputsAndKeys() throws Exception {
    int count = 100;
    List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      input.add(new ProducerRecord<>("proto-readings",
          ProtoReading.newBuilder().setId("sensor-" + (i % 4)).setValue(i).build().toByteArray()));
    }

    List<ConsumerRecord<byte[], byte[]>> output = run(new ProtoSummarizer(),
        Map.of("in", "proto-readings", "out", "proto-summaries"), input, "proto-summaries", count);

    List<String> keyed = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : output) {
      ProtoSummary summary = ProtoSummary.parseFrom(record.value());
      keyed.add(new String(record.key(), StandardCharsets.UTF_8) + "=" + summary.getId() + ":" + summary.getStats().getCount()
          + ":" + summary.getStats().getValuesList());
    }
    assertThat(keyed).containsExactlyInAnyOrderElementsOf(IntStream.range(0, count)
        .mapToObj(i -> "sensor-" + (i % 4) + "=sensor-" + (i % 4) + ":" + (i * 10L) + ":[" + i + "]").toList());
  }

  @Test
  void readsJsonThatAPlainProducerWroteAndWritesAvroSkippingWhatIsNotJson() throws Exception {
    List<ProducerRecord<byte[], byte[]>> input = List.of(
        json("{\"sensor\":\"s-1\",\"value\":10}"),
        json("{\"value\":20,\"sensor\":\"s-2\",\"firmware\":\"1.2\"}"),
        json("not json at all"),
        json("{\"sensor\":\"s-1\",\"value\":30}"));

    List<ConsumerRecord<byte[], byte[]>> output = run(new JsonToAvro(),
        Map.of("in", "json-readings", "out", "avro-readings"), input, "avro-readings", 3);

    AvroCodec<Reading> codec = new AvroCodec<>(Reading.class);
    assertThat(output).extracting(r -> new String(r.key(), StandardCharsets.UTF_8) + "=" + codec.decode(r.value()))
        .containsExactlyInAnyOrder("s-1=" + new Reading("s-1", 10L), "s-2=" + new Reading("s-2", 20L),
            "s-1=" + new Reading("s-1", 30L));
  }

  @Test
  void passesRawBytesFromOneForeignTopicToAnother() throws Exception {
    List<ProducerRecord<byte[], byte[]>> input = List.of(json("abc"), json("xyz"));

    List<ConsumerRecord<byte[], byte[]>> output =
        run(new RawUpperCase(), Map.of("in", "raw-in", "out", "raw-out"), input, "raw-out", 2);

    assertThat(output).extracting(r -> new String(r.key(), StandardCharsets.UTF_8) + "=" + new String(r.value(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder("A=ABC", "X=XYZ");
  }

  private static ProducerRecord<byte[], byte[]> json(String text) {
    String topic = text.startsWith("{") || text.startsWith("not") ? "json-readings" : "raw-in";
    return new ProducerRecord<>(topic, text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<ConsumerRecord<byte[], byte[]>> run(FlinkStreamlet streamlet, Map<String, String> topics,
      List<ProducerRecord<byte[], byte[]>> input, String outTopic, int expected) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<byte[], byte[]> record : input) {
        producer.send(record);
      }
      producer.flush();
    }
    Configuration flink = new Configuration();
    flink.setString("parallelism.default", "2");
    StreamletRunner runner = new StreamletRunner(KafkaSettings.of(broker.getBrokersAsString()), flink);
    StreamletExecution execution = runner.run(streamlet, new StreamletDefinition("test-app", "streamlet", topics, ConfigFactory.empty()));
    try {
      execution.ready().get(60, TimeUnit.SECONDS);
      return consume(outTopic, expected, Duration.ofSeconds(60));
    } finally {
      execution.stop().get(30, TimeUnit.SECONDS);
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(records::add); // duplicates or strays beyond the expected count
    }
    return records;
  }
}
