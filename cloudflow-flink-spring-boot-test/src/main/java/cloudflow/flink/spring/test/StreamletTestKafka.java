package cloudflow.flink.spring.test;

import cloudflow.flink.StreamletExecution;
import cloudflow.flink.kafka.KafkaSettings;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import cloudflow.flink.spring.test.RunningPorts.RunningPort;
import cloudflow.flink.testkit.KeyedRecord;
import cloudflow.streamlets.Codec;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.DecodeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.DisposableBean;

/**
 * Sends records to the inlets of the streamlet(s) a {@link StreamletTest} runs and reads what they
 * write to their outlets, on the Kafka topics the running configuration connects the ports to,
 * encoded and decoded with each port's codec.
 *
 * <p>Ports are given as the port objects of the streamlet bean ({@code processor.in}), as equal
 * ports (same name and record class), or by name: {@code "in"}, or {@code "processor.in"} when
 * several streamlets run.
 *
 * <p>Reading: each test method reads each outlet's topic with a consumer of its own that starts
 * where the topic ended when the test method began, so records written because of earlier tests in
 * the same (cached) context are not seen; successive {@code receive} calls in a test return
 * successive records. Consumers read committed records only ({@code isolation.level=read_committed}),
 * as the streamlets' own sources do. Records of different partitions arrive in no particular order;
 * records with the same key keep theirs. The streamlet's job and its state are shared by the test
 * classes that share a context: use keys of their own per test where state matters.
 *
 * <p>Not thread-safe across concurrently running test methods of one context.
 */
public final class StreamletTestKafka implements DisposableBean {

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_LISTED = 20;
  private static final int MAX_RECORD_LENGTH = 300;

  private final StreamletLauncher launcher;
  private final KafkaSettings kafka;
  private final RunningPorts ports;
  private final Map<String, TopicReader> readers = new HashMap<>();
  private Map<TopicPartition, Long> testStartOffsets = Map.of();
  private String currentTest;
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> offsetsConsumer;

  /**
   * Creates the helper for the streamlets a launcher runs.
   *
   * @param launcher runs the streamlets and knows their topics
   * @param registry the application's streamlets and their shapes
   * @param kafka how to reach the broker the streamlets use
   */
  public StreamletTestKafka(StreamletLauncher launcher, StreamletRegistry registry, KafkaSettings kafka) {
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.kafka = Objects.requireNonNull(kafka, "kafka");
    this.ports = new RunningPorts(registry, launcher.definitions());
  }

  /** The Kafka bootstrap servers the streamlets' sources read from (the embedded broker's, in most tests). */
  public String bootstrapServers() {
    return kafka.consumer().bootstrapServers();
  }

  /** The topic of a port of a running streamlet, named {@code port} or {@code streamlet.port}. */
  public String topicOf(String port) {
    return ports.port(port).requireTopic();
  }

  /**
   * Waits until the job of every running streamlet is RUNNING.
   *
   * @throws AssertionError when a job is not running within the timeout, or has ended
   */
  public void awaitRunning(Duration timeout) {
    List<StreamletExecution> executions = launcher.executions();
    if (executions.isEmpty()) {
      throw new AssertionError("No streamlet job was submitted in this application context (has it started?)");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (StreamletExecution execution : executions) {
      try {
        execution.ready().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("Streamlet '" + execution.streamletRef() + "' is not RUNNING after "
            + format(timeout) + ": its job is " + execution.status());
      } catch (ExecutionException e) {
        throw new AssertionError("Streamlet '" + execution.streamletRef() + "' did not reach RUNNING: its job is "
            + execution.status() + ": " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for streamlet '" + execution.streamletRef() + "'", e);
      }
    }
  }

  /** Sends {@code records}, without keys, to the topic of {@code inlet}, and waits until the broker has them. */
  public <T> void send(CodecInlet<T> inlet, List<T> records) {
    send(inlet, records, record -> null);
  }

  /**
   * Sends {@code records} to the topic of {@code inlet}, each with the Kafka key {@code key} computes
   * ({@code null}: no key), and waits until the broker has them.
   */
  public <T> void send(CodecInlet<T> inlet, List<T> records, Function<? super T, String> key) {
    send(ports.inlet(inlet), inlet.codec(), records, key);
  }

  /** Sends {@code records}, without keys, to the topic of the inlet named {@code inlet}. */
  public <T> void send(String inlet, List<T> records) {
    send(inlet, records, record -> null);
  }

  /** Sends {@code records} to the topic of the inlet named {@code inlet}, keyed by {@code key}. */
  @SuppressWarnings("unchecked")
  public <T> void send(String inlet, List<T> records, Function<? super T, String> key) {
    RunningPort port = ports.inlet(inlet);
    for (T record : records) {
      if (!port.recordClass().isInstance(record)) {
        throw new IllegalArgumentException(port + " takes " + port.recordClass().getName() + ", not "
            + (record == null ? "null" : record.getClass().getName()));
      }
    }
    send(port, ((CodecInlet<T>) port.port()).codec(), records, key);
  }

  private synchronized <T> void send(
      RunningPort port, Codec<T> codec, List<T> records, Function<? super T, String> key) {
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(key, "key");
    String topic = port.requireTopic();
    List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
    for (T record : records) {
      String k = key.apply(record);
      byte[] keyBytes = k == null ? null : k.getBytes(StandardCharsets.UTF_8);
      sent.add(producer().send(new ProducerRecord<>(topic, keyBytes, codec.encode(record))));
    }
    producer().flush();
    for (int i = 0; i < sent.size(); i++) {
      try {
        sent.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        throw new IllegalStateException(
            "Cannot send record " + i + " to " + port + " (topic '" + topic + "'): " + cause, cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while sending to topic '" + topic + "'", e);
      }
    }
  }

  /**
   * The next {@code count} records written to {@code outlet} in this test, decoded with its codec.
   *
   * @throws AssertionError when fewer arrive within {@code timeout} (listing those that did), or the
   *     streamlet's job fails meanwhile
   */
  public <T> List<T> receive(CodecOutlet<T> outlet, int count, Duration timeout) {
    return receiveKeyed(outlet, count, timeout).stream().map(KeyedRecord::record).toList();
  }

  /** As {@link #receive(CodecOutlet, int, Duration)}, with each record's Kafka key. */
  public <T> List<KeyedRecord<T>> receiveKeyed(CodecOutlet<T> outlet, int count, Duration timeout) {
    return receive(ports.outlet(outlet), outlet.codec(), count, timeout);
  }

  /** As {@link #receive(CodecOutlet, int, Duration)}, for the outlet named {@code outlet}. */
  public <T> List<T> receive(String outlet, int count, Duration timeout) {
    return this.<T>receiveKeyed(outlet, count, timeout).stream().map(KeyedRecord::record).toList();
  }

  /** As {@link #receiveKeyed(CodecOutlet, int, Duration)}, for the outlet named {@code outlet}. */
  @SuppressWarnings("unchecked")
  public <T> List<KeyedRecord<T>> receiveKeyed(String outlet, int count, Duration timeout) {
    RunningPort port = ports.outlet(outlet);
    return receive(port, ((CodecOutlet<T>) port.port()).codec(), count, timeout);
  }

  private synchronized <T> List<KeyedRecord<T>> receive(RunningPort port, Codec<T> codec, int count, Duration timeout) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    Objects.requireNonNull(timeout, "timeout");
    String topic = port.requireTopic();
    TopicReader reader = readers.computeIfAbsent(topic, t -> new TopicReader(consumerProperties(), t, testStartOffsets));
    List<ConsumerRecord<byte[], byte[]>> arrived = reader.take(count, timeout, () -> failure().isPresent());
    if (arrived.size() == count) {
      return arrived.stream().map(record -> decode(port, codec, record)).toList();
    }
    Optional<StreamletExecution> failed = failure();
    String message = "Expected " + count + " records from " + port + " (topic '" + topic + "') within "
        + format(timeout) + ", but " + (arrived.isEmpty() ? "none" : arrived.size()) + " arrived"
        + (failed.isPresent() ? " before its job failed" : "") + list(arrived, codec)
        + skippedNote(reader, arrived) + "\n" + jobs();
    throw failed.isPresent() ? new AssertionError(message, causeOf(failed.get())) : new AssertionError(message);
  }

  private static <T> KeyedRecord<T> decode(RunningPort port, Codec<T> codec, ConsumerRecord<byte[], byte[]> record) {
    try {
      return new KeyedRecord<>(keyOf(record), codec.decode(record.value()));
    } catch (DecodeException e) {
      throw new AssertionError("A record on the topic of " + port + " cannot be decoded as "
          + port.recordClass().getName() + " (partition " + record.partition() + ", offset " + record.offset()
          + "): " + e.getMessage(), e);
    }
  }

  private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }

  /** The arrived records, one a line, each cut to a readable length, at most {@link #MAX_LISTED}. */
  static <T> String list(List<ConsumerRecord<byte[], byte[]>> arrived, Codec<T> codec) {
    if (arrived.isEmpty()) {
      return ".";
    }
    StringBuilder text = new StringBuilder(":");
    for (int i = 0; i < Math.min(arrived.size(), MAX_LISTED); i++) {
      ConsumerRecord<byte[], byte[]> record = arrived.get(i);
      String value;
      try {
        value = String.valueOf(codec.decode(record.value()));
      } catch (DecodeException e) {
        value = "<cannot be decoded: " + e.getMessage() + ">";
      }
      if (value.length() > MAX_RECORD_LENGTH) {
        value = value.substring(0, MAX_RECORD_LENGTH) + "... (" + value.length() + " characters)";
      }
      text.append("\n  ").append(i + 1).append(". key=").append(keyOf(record)).append(' ').append(value);
    }
    if (arrived.size() > MAX_LISTED) {
      text.append("\n  ... and ").append(arrived.size() - MAX_LISTED).append(" more");
    }
    return text.toString();
  }

  private String skippedNote(TopicReader reader, List<ConsumerRecord<byte[], byte[]>> arrived) {
    if (!arrived.isEmpty()) {
      return "";
    }
    try {
      long skipped = reader.skipped();
      return skipped == 0
          ? ""
          : "\n(" + skipped + " records written to the topic before " + (currentTest == null ? "this test" : currentTest)
              + " began were skipped)";
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** One line per running streamlet job with its status. */
  private String jobs() {
    List<String> lines = new ArrayList<>();
    for (StreamletExecution execution : launcher.executions()) {
      String line = "Streamlet '" + execution.streamletRef() + "': job " + execution.status();
      if (execution.completed().isCompletedExceptionally()) {
        line += " (" + causeOf(execution) + ")";
      }
      lines.add(line);
    }
    return lines.isEmpty() ? "No streamlet job was submitted." : String.join("\n", lines);
  }

  private Optional<StreamletExecution> failure() {
    return launcher.executions().stream().filter(e -> e.completed().isCompletedExceptionally()).findFirst();
  }

  private static Throwable causeOf(StreamletExecution execution) {
    try {
      execution.completed().getNow(null);
      return null;
    } catch (RuntimeException e) {
      return e.getCause() != null ? e.getCause() : e;
    }
  }

  /** Called when a test method begins: its reads start where the outlet topics end now. */
  synchronized void beginTest(String test) {
    closeReaders();
    currentTest = test;
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : ports.outletTopics()) {
      partitions.addAll(TopicReader.partitionsOf(offsetsConsumer(), topic));
    }
    // assigned, or the consumer warns that it reads last stable offsets of partitions it does not own
    offsetsConsumer().assign(partitions);
    testStartOffsets = Map.copyOf(offsetsConsumer().endOffsets(partitions, SEND_TIMEOUT));
  }

  /** Called when a test method has ended: its consumers are closed. */
  synchronized void endTest() {
    closeReaders();
    currentTest = null;
    testStartOffsets = Map.of();
  }

  private void closeReaders() {
    readers.values().forEach(TopicReader::close);
    readers.clear();
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Map<String, Object> properties = new HashMap<>(kafka.producer().properties());
      properties.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
      properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.producer().bootstrapServers());
      properties.put(ProducerConfig.ACKS_CONFIG, "all");
      producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  private KafkaConsumer<byte[], byte[]> offsetsConsumer() {
    if (offsetsConsumer == null) {
      offsetsConsumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    return offsetsConsumer;
  }

  /** The application's consumer settings, without a group, reading committed records only. */
  private Map<String, Object> consumerProperties() {
    Map<String, Object> properties = new HashMap<>(kafka.consumer().properties());
    properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.consumer().bootstrapServers());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return properties;
  }

  static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  @Override
  public synchronized void destroy() {
    closeReaders();
    // the broker may stop first when the context closes: do not wait for it
    if (producer != null) {
      producer.close(Duration.ZERO);
    }
    if (offsetsConsumer != null) {
      offsetsConsumer.close(CloseOptions.timeout(Duration.ZERO));
    }
  }
}
