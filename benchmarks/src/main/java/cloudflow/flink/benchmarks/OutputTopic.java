package cloudflow.flink.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches a contender's output topic from outside the contender: a timeline of the topic's end
 * offsets (the last stable offsets, so uncommitted transactions do not count), sampled every few
 * milliseconds, and a verifier that reads the committed records back and checks their ids.
 */
final class OutputTopic implements AutoCloseable {

  /**
   * End offsets of every partition at one moment, and the CPU time the contender and the broker
   * processes had used by then (milliseconds, -1 when unknown).
   */
  record Sample(long atMillis, long[] offsets, long contenderCpuMs, long brokerCpuMs) {
    long sum() {
      return Arrays.stream(offsets).sum();
    }
  }

  private final Admin admin;
  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  OutputTopic(String bootstrap, String topic) throws Exception {
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    partitions = new ArrayList<>();
    admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
  }

  /** Takes a sample of the end offsets (last stable offsets) and the processes' CPU times, and returns it. */
  Sample sample(long contenderPid, long brokerPid) throws Exception {
    long contenderCpu = cpuMillis(contenderPid);
    long brokerCpu = cpuMillis(brokerPid);
    Map<TopicPartition, ListOffsetsResultInfo> end = admin
        .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all().get(30, TimeUnit.SECONDS);
    long[] offsets = new long[partitions.size()];
    for (int i = 0; i < offsets.length; i++) {
      ListOffsetsResultInfo info = end.get(partitions.get(i));
      offsets[i] = info == null ? 0 : info.offset();
    }
    Sample sample = new Sample(System.currentTimeMillis(), offsets, contenderCpu, brokerCpu);
    synchronized (samples) {
      samples.add(sample);
    }
    return sample;
  }

  /**
   * User plus system CPU time of a process from {@code /proc/<pid>/stat}, in milliseconds (assuming
   * the usual 100 clock ticks per second), or -1.
   */
  static long cpuMillis(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  List<TopicPartition> partitions() {
    return partitions;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }

  /**
   * Reads the committed records of the topic from the start, counting them and the distinct ids
   * 0..n-1 among them, and keeping each partition's record offsets (transaction markers take offsets
   * too, so with exactly-once an end offset is not a record count).
   */
  static final class Verifier implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final long n;
    private final BitSet seen;
    private final long[][] offsets;
    private final int[] offsetCounts;
    private volatile long records;
    private volatile long distinct;
    private long unexpected;

    Verifier(String bootstrap, List<TopicPartition> partitions, long n) {
      this.consumer = Records.consumer(bootstrap, Map.of("fetch.max.bytes", String.valueOf(64 * 1024 * 1024)));
      this.partitions = partitions;
      this.n = n;
      this.seen = new BitSet((int) Math.min(Integer.MAX_VALUE, n));
      this.offsets = new long[partitions.size()][];
      this.offsetCounts = new int[partitions.size()];
      for (int i = 0; i < offsets.length; i++) {
        offsets[i] = new long[1024];
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    /** Reads until all n ids are seen or the records stop coming for {@code idle}. */
    void readUntilComplete(Duration idle) {
      long lastRecordAt = System.nanoTime();
      while (distinct < n && System.nanoTime() - lastRecordAt < idle.toNanos()) {
        if (readOnce() > 0) {
          lastRecordAt = System.nanoTime();
        }
      }
    }

    /** One poll; returns the number of records read. */
    synchronized int readOnce() {
      int count = 0;
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        count++;
        int p = partitions.indexOf(new TopicPartition(record.topic(), record.partition()));
        if (offsetCounts[p] == offsets[p].length) {
          offsets[p] = Arrays.copyOf(offsets[p], offsets[p].length * 2);
        }
        offsets[p][offsetCounts[p]++] = record.offset();
        long id = record.value() == null || record.value().length == 0 ? -1 : Records.idOf(record.value());
        if (id >= 0 && id < n) {
          if (!seen.get((int) id)) {
            seen.set((int) id);
            distinct++;
          }
        } else {
          unexpected++;
        }
      }
      records += count;
      return count;
    }

    long records() {
      return records;
    }

    long distinct() {
      return distinct;
    }

    synchronized long unexpected() {
      return unexpected;
    }

    /** How many of the records read lie below the given end offsets: the records visible at that sample. */
    synchronized long visibleAt(Sample sample) {
      long visible = 0;
      for (int p = 0; p < offsets.length; p++) {
        int index = Arrays.binarySearch(offsets[p], 0, offsetCounts[p], sample.offsets()[p]);
        visible += index >= 0 ? index : -index - 1;
      }
      return visible;
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }
}
