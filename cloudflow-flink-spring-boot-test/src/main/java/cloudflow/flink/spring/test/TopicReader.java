package cloudflow.flink.spring.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic for one test: a consumer assigned to all of its partitions (no group, so no
 * rebalancing and nothing committed), starting at given offsets, that keeps records polled beyond
 * what a call asked for for the next call.
 */
final class TopicReader implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(100);

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, Long> startOffsets;
  private final List<ConsumerRecord<byte[], byte[]>> buffer = new ArrayList<>();

  /**
   * Opens the reader.
   *
   * @param consumerProperties Kafka consumer properties, without group id
   * @param startOffsets where to start per partition; partitions not in it start at the beginning
   */
  TopicReader(Map<String, Object> consumerProperties, String topic, Map<TopicPartition, Long> startOffsets) {
    this.topic = topic;
    this.startOffsets = Map.copyOf(startOffsets);
    this.consumer = new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      this.partitions = partitionsOf(consumer, topic);
      consumer.assign(partitions);
      for (TopicPartition partition : partitions) {
        Long start = this.startOffsets.get(partition);
        if (start == null) {
          consumer.seekToBeginning(List.of(partition));
        } else {
          consumer.seek(partition, start);
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The partitions of {@code topic}; fails when the topic does not exist. */
  static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("Topic '" + topic + "' does not exist");
    }
    return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
  }

  /**
   * Polls until {@code count} records are buffered, the timeout has passed or {@code stop} says so,
   * then takes and returns the first {@code count} records when there are that many, or returns (and
   * keeps) all buffered records when there are fewer.
   */
  List<ConsumerRecord<byte[], byte[]>> take(int count, Duration timeout, BooleanSupplier stop) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (buffer.size() < count && !stop.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      consumer.poll(Duration.ofNanos(Math.min(left, POLL.toNanos()))).forEach(buffer::add);
    }
    if (buffer.size() < count) {
      return List.copyOf(buffer);
    }
    List<ConsumerRecord<byte[], byte[]>> taken = new ArrayList<>(buffer.subList(0, count));
    buffer.subList(0, count).clear();
    return taken;
  }

  /** How many records were on the topic before the start offsets, i.e. skipped. */
  long skipped() {
    Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
    long skipped = 0;
    for (TopicPartition partition : partitions) {
      Long start = startOffsets.get(partition);
      if (start != null) {
        skipped += Math.max(0, start - beginnings.getOrDefault(partition, 0L));
      }
    }
    return skipped;
  }

  String topic() {
    return topic;
  }

  @Override
  public void close() {
    // the broker may be gone already when the context closes: do not wait for it
    consumer.close(CloseOptions.timeout(Duration.ZERO));
  }
}
