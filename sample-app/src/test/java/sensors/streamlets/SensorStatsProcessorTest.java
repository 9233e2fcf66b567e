package sensors.streamlets;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.streamlets.avro.AvroCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * Runs the {@code processor} streamlet through the real auto-configuration, on the embedded broker
 * the starter starts when no bootstrap servers are set, and a local Flink cluster.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"streamlet=processor", "cloudflow.streamlets.processor.config-parameters.alert-threshold=25"})
class SensorStatsProcessorTest {

  @Autowired EmbeddedKafkaBroker broker;

  @LocalServerPort int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void keepsRunningStatisticsPerSensorAndFlagsAlerts() throws Exception {
    awaitReadiness();
    double[][] values = {{10, 30, 20}, {5, 7}, {26}};
    List<SensorReading> readings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (int sensor = 0; sensor < values.length; sensor++) {
        if (i < values[sensor].length) {
          readings.add(new SensorReading("sensor-" + sensor, (long) i, values[sensor][i]));
        }
      }
    }
    send("sensor-readings", readings);

    List<ConsumerRecord<byte[], byte[]>> records = receive("sensor-summaries", readings.size());

    assertThat(records).hasSize(readings.size());
    AvroCodec<SensorSummary> codec = new AvroCodec<>(SensorSummary.class);
    Map<String, SensorSummary> last = new LinkedHashMap<>();
    List<Boolean> alerts = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      SensorSummary summary = codec.decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(summary.getSensorId());
      last.merge(summary.getSensorId(), summary, (a, b) -> a.getCount() > b.getCount() ? a : b);
      if (summary.getAlert()) {
        alerts.add(true);
      }
    }
    assertThat(last.get("sensor-0")).isEqualTo(new SensorSummary("sensor-0", 3L, 10.0, 30.0, 20.0, 20.0, false));
    assertThat(last.get("sensor-1")).isEqualTo(new SensorSummary("sensor-1", 2L, 5.0, 7.0, 6.0, 7.0, false));
    assertThat(last.get("sensor-2")).isEqualTo(new SensorSummary("sensor-2", 1L, 26.0, 26.0, 26.0, 26.0, true));
    assertThat(alerts).hasSize(2); // 30 from sensor-0 and 26 from sensor-2 are above 25
  }

  private void awaitReadiness() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline && status != 200) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness")).build();
      status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      Thread.sleep(200);
    }
    assertThat(status).as("readiness status").isEqualTo(200);
  }

  private void send(String topic, List<SensorReading> readings) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    AvroCodec<SensorReading> codec = new AvroCodec<>(SensorReading.class);
    try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (SensorReading reading : readings) {
        byte[] key = reading.getSensorId().getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, codec.encode(reading)));
      }
      producer.flush();
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> receive(String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }
}
