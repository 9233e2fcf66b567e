package cloudflow.flink.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one contender JVM is told on its command line: which implementation to run, where to read and
 * write, and extra settings.
 *
 * <p>Extra settings are {@code flink.<key>} (Flink configuration), {@code consumer.<key>} and
 * {@code producer.<key>} (Kafka client properties). The streamlet gets them the way the starter would
 * pass {@code cloudflow.flink.*} and {@code spring.kafka.consumer/producer.properties.*}; the
 * hand-written job and the raw loop get the same client properties.
 */
record ContenderConfig(
    Mode mode,
    boolean exactlyOnce,
    String bootstrapServers,
    String inputTopic,
    String outputTopic,
    String runId,
    int parallelism,
    String checkpointInterval,
    Path workDirectory,
    Map<String, String> settings) {

  /** The implementations under test. */
  enum Mode {
    /** A pass-through FlinkStreamlet run by cloudflow's StreamletRunner, as the starter runs it. */
    STREAMLET,
    /** The same job hand-written with KafkaSource, KafkaSink and flink-avro's schemas. */
    FLINK,
    /** KafkaConsumer → Avro decode → Avro encode → KafkaProducer, one thread per partition share. */
    RAW
  }

  ContenderConfig {
    settings = Map.copyOf(settings);
  }

  /** Settings under {@code prefix} (for example {@code "producer."}), with the prefix removed. */
  Map<String, String> withPrefix(String prefix) {
    Map<String, String> result = new LinkedHashMap<>();
    settings.forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        result.put(key.substring(prefix.length()), value);
      }
    });
    return result;
  }

  List<String> toArgs() {
    List<String> args = new ArrayList<>(List.of(
        "--mode", mode.name(),
        "--exactly-once", String.valueOf(exactlyOnce),
        "--bootstrap", bootstrapServers,
        "--in", inputTopic,
        "--out", outputTopic,
        "--run-id", runId,
        "--parallelism", String.valueOf(parallelism),
        "--checkpoint-interval", checkpointInterval,
        "--work-dir", workDirectory.toString()));
    settings.forEach((key, value) -> {
      args.add("--set");
      args.add(key + "=" + value);
    });
    return args;
  }

  static ContenderConfig fromArgs(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--set")) {
        String[] kv = args[i + 1].split("=", 2);
        settings.put(kv[0], kv.length > 1 ? kv[1] : "");
      } else {
        values.put(args[i], args[i + 1]);
      }
    }
    return new ContenderConfig(
        Mode.valueOf(values.get("--mode")),
        Boolean.parseBoolean(values.get("--exactly-once")),
        values.get("--bootstrap"),
        values.get("--in"),
        values.get("--out"),
        values.get("--run-id"),
        Integer.parseInt(values.get("--parallelism")),
        values.get("--checkpoint-interval"),
        Path.of(values.get("--work-dir")),
        settings);
  }
}
