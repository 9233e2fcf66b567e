package cloudflow.flink.spring.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cloudflow.flink.runtime.ProcessTempDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * The embedded broker itself, started by the auto-configuration: every socket it listens on is on
 * 127.0.0.1, it creates the configured topics with their partitions, runs transactions (exactly-once)
 * on one node, and deletes its data when the context closes.
 */
class EmbeddedKafkaAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(EmbeddedKafkaAutoConfiguration.class))
      .withPropertyValues(
          "cloudflow.embedded-kafka.partitions=3",
          "cloudflow.streamlets.processor.ports.in.topic=readings",
          "cloudflow.streamlets.processor.ports.out.topic=summaries");

  @Test
  void listensOnLoopbackOnlyCreatesTopicsRunsTransactionsAndDeletesItsData() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "lists listening sockets from /proc (Linux)");
    Set<String> before = new HashSet<>(listeningAddresses());
    ProcessTempDirectory temporary = ProcessTempDirectory.acquire();
    try {
      runner.run(context -> {
        assertThat(context).hasNotFailed().hasSingleBean(EmbeddedKafkaBroker.class);
        EmbeddedKafkaBroker broker = context.getBean(EmbeddedKafkaBroker.class);
        String servers = broker.getBrokersAsString();
        assertThat(System.getProperty(EmbeddedKafkaAutoConfiguration.ADDRESS_PROPERTY)).isEqualTo(servers);

        List<String> opened = listeningAddresses().stream().filter(address -> !before.contains(address)).toList();
        // the broker's and the KRaft controller's listener, both on loopback
        assertThat(opened).as("sockets the broker listens on").hasSize(2).contains(servers)
            .allMatch(address -> address.startsWith("127.0.0.1:"));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
          Map<String, TopicDescription> topics = admin.describeTopics(List.of("readings", "summaries")).allTopicNames().get();
          assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(3));
        }
        assertThat(broker.getTopics()).containsExactlyInAnyOrder("readings", "summaries");
        assertThat(kafkaDataDirectories(temporary.path())).hasSize(1);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
          producer.initTransactions();
          producer.beginTransaction();
          producer.send(new ProducerRecord<>("readings", "k", "committed"));
          producer.commitTransaction();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
            ConsumerConfig.GROUP_ID_CONFIG, "test",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
          broker.consumeFromAnEmbeddedTopic(consumer, "readings");
          ConsumerRecords<String, String> records = ConsumerRecords.empty();
          long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          while (records.isEmpty() && System.nanoTime() < deadline) {
            records = consumer.poll(Duration.ofMillis(200));
          }
          assertThat(records).extracting(r -> r.value()).containsExactly("committed");
        }
      });
      assertThat(kafkaDataDirectories(temporary.path())).as("the broker's data after the context closed").isEmpty();
      assertThat(System.getProperty(EmbeddedKafkaAutoConfiguration.ADDRESS_PROPERTY)).isNull();
    } finally {
      temporary.release();
    }
  }

  private static List<Path> kafkaDataDirectories(Path directory) throws IOException {
    try (Stream<Path> children = Files.list(directory)) {
      return children.filter(p -> p.getFileName().toString().startsWith("kafka-")).toList();
    }
  }

  /** The addresses this JVM listens on (TCP), from /proc: {@code 127.0.0.1:9092}, {@code 0.0.0.0:9093}, ... */
  private static List<String> listeningAddresses() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while listing
        }
      }
    }
    List<String> listening = new java.util.ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII).stream().skip(1).toList()) {
        String[] fields = line.trim().split("\\s+");
        if (fields[3].equals("0A") && inodes.contains(fields[9])) { // 0A: LISTEN
          String[] local = fields[1].split(":");
          listening.add(address(local[0]) + ":" + Integer.parseInt(local[1], 16));
        }
      }
    }
    return listening;
  }

  /** An address of /proc/net/tcp(6) (hex, 32-bit words little-endian) as text; 127.0.0.1 also as IPv4-mapped. */
  private static String address(String hex) {
    if (hex.length() != 8) {
      return hex.equals("0000000000000000FFFF00000100007F") ? "127.0.0.1" : "[" + hex + "]";
    }
    return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
        + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
  }
}
