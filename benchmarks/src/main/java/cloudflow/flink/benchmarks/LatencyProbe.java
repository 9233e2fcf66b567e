package cloudflow.flink.benchmarks;

import cloudflow.flink.benchmarks.data.BenchRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency at a fixed rate: records carry {@code System.nanoTime()} of their send in the
 * payload, the contender passes them through, and a consumer in this same JVM (same clock) reads them
 * back. The first {@code warmup} seconds of records are not measured.
 */
final class LatencyProbe {

  /** Latency percentiles in milliseconds. */
  record Result(long measured, long missing, double p50, double p99, double p999, double max, double[] p99PerSecond) {}

  private LatencyProbe() {}

  static Result measure(String bootstrap, String inputTopic, String outputTopic, int rate, int warmupSeconds,
      int measureSeconds, Duration drainTimeout, ContenderProcess contender) throws Exception {
    long warmupCount = (long) rate * warmupSeconds;
    long total = warmupCount + (long) rate * measureSeconds;
    long[] latencyNanos = new long[(int) (total - warmupCount)];
    Arrays.fill(latencyNanos, -1);
    AtomicReference<Exception> readFailure = new AtomicReference<>();
    long[] received = new long[1];
    // a flag, not an interrupt: an interrupted consumer cannot close cleanly and logs errors
    AtomicBoolean reading = new AtomicBoolean(true);

    Thread reader = new Thread(() -> {
      SpecificDatumReader<BenchRecord> datumReader = new SpecificDatumReader<>(BenchRecord.class);
      BinaryDecoder decoder = null;
      try (KafkaConsumer<byte[], byte[]> consumer = Records.consumer(bootstrap, Map.of())) {
        List<TopicPartition> partitions = Records.partitions(consumer, outputTopic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        while (reading.get()) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
            long now = System.nanoTime();
            decoder = DecoderFactory.get().binaryDecoder(record.value(), decoder);
            BenchRecord value = datumReader.read(null, decoder);
            long index = value.getId() - warmupCount;
            if (index >= 0 && index < latencyNanos.length && latencyNanos[(int) index] < 0) {
              latencyNanos[(int) index] = now - value.getSentAtNanos();
              synchronized (received) {
                received[0]++;
              }
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        readFailure.set(e);
      }
    }, "latency-reader");
    reader.setDaemon(true);
    reader.start();

    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    AtomicReference<Exception> sendFailure = new AtomicReference<>();
    Records records = new Records();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();
      long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
      for (long id = 0; id < total; id++) {
        long due = start + id * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 200_000) {
          LockSupport.parkNanos(wait);
        }
        if (!contender.isAlive() || contender.error() != null) {
          throw new IllegalStateException("The contender failed during the latency run: " + contender.error());
        }
        BenchRecord record = Records.record(id, System.nanoTime());
        producer.send(new ProducerRecord<>(inputTopic, Records.key(id), records.encode(record)), (metadata, error) -> {
          if (error != null) {
            sendFailure.compareAndSet(null, error);
          }
        });
      }
      producer.flush();
    }
    if (sendFailure.get() != null) {
      throw new IllegalStateException("The latency probe could not send", sendFailure.get());
    }
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (System.nanoTime() < deadline && readFailure.get() == null) {
      synchronized (received) {
        if (received[0] >= latencyNanos.length) {
          break;
        }
      }
      Thread.sleep(20);
    }
    reading.set(false);
    reader.join(10_000);
    if (readFailure.get() != null) {
      throw new IllegalStateException("The latency probe could not read", readFailure.get());
    }
    long[] measured = Arrays.stream(latencyNanos).filter(l -> l >= 0).sorted().toArray();
    long missing = latencyNanos.length - measured.length;
    if (measured.length == 0) {
      return new Result(0, missing, Double.NaN, Double.NaN, Double.NaN, Double.NaN, new double[0]);
    }
    // p99 of the records sent in each second, to tell warm-up, checkpoint and GC spikes apart
    double[] perSecond = new double[measureSeconds];
    for (int second = 0; second < measureSeconds; second++) {
      long[] bucket = Arrays.stream(latencyNanos, second * rate, Math.min(latencyNanos.length, (second + 1) * rate))
          .filter(l -> l >= 0).sorted().toArray();
      perSecond[second] = bucket.length == 0 ? Double.NaN : millis(percentile(bucket, 0.99));
    }
    return new Result(measured.length, missing,
        millis(percentile(measured, 0.50)), millis(percentile(measured, 0.99)),
        millis(percentile(measured, 0.999)), millis(measured[measured.length - 1]), perSecond);
  }

  static long percentile(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
