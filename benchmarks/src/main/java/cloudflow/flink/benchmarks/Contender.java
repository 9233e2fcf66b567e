package cloudflow.flink.benchmarks;

import cloudflow.flink.benchmarks.ContenderConfig.Mode;
import cloudflow.flink.kafka.KafkaStreamletContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A named contender: an implementation, its delivery guarantee, its JVM heap and extra settings.
 *
 * @param name the name in the table
 * @param mode the implementation
 * @param exactlyOnce whether it writes with Kafka transactions (and reads committed records only)
 * @param maxHeap the contender JVM's {@code -Xmx}, or null for the run's default
 * @param settings {@code flink.*}, {@code consumer.*}, {@code producer.*} settings
 * @param description one line for the report
 */
record Contender(String name, Mode mode, boolean exactlyOnce, String maxHeap, Map<String, String> settings,
    String description) {

  Contender {
    settings = Map.copyOf(settings);
  }

  /**
   * The built-in contenders, by name. {@code flink} and {@code raw}, the headline baselines, run with the
   * starter's Kafka client settings ({@link #STARTER_CLIENT_SETTINGS}), so that the ratios compare the
   * frameworks and not the client tuning; {@code flink-client-defaults} and {@code raw-client-defaults}
   * are the same baselines on Kafka's client defaults.
   */
  static Map<String, Contender> builtIns(String heapMax) {
    Map<String, Contender> all = new LinkedHashMap<>();
    all.put("streamlet", new Contender("streamlet", Mode.STREAMLET, false, null, Map.of(),
        "pass-through FlinkStreamlet run by StreamletRunner with the starter's defaults, at-least-once"));
    all.put("flink", new Contender("flink", Mode.FLINK, false, null, STARTER_CLIENT_SETTINGS,
        "the same job hand-written: KafkaSource/KafkaSink, flink-avro schemas, at-least-once, the starter's client settings "
            + STARTER_CLIENT_SETTINGS));
    all.put("raw", new Contender("raw", Mode.RAW, false, null, STARTER_CLIENT_SETTINGS,
        "KafkaConsumer -> Avro decode -> encode -> KafkaProducer loop, one thread per parallel share, the starter's client settings "
            + STARTER_CLIENT_SETTINGS));
    all.put("flink-client-defaults", new Contender("flink-client-defaults", Mode.FLINK, false, null, Map.of(),
        "the hand-written job on Kafka's client defaults (extra row, not a headline baseline)"));
    all.put("raw-client-defaults", new Contender("raw-client-defaults", Mode.RAW, false, null, Map.of(),
        "the raw loop on Kafka's client defaults (extra row, not a headline baseline)"));
    Map<String, String> starterCodec = new TreeMap<>(STARTER_CLIENT_SETTINGS);
    starterCodec.put(RawKafkaLoop.CODEC_SETTING, RawKafkaLoop.STARTER_CODEC);
    all.put("raw-starter-codec", new Contender("raw-starter-codec", Mode.RAW, false, null, starterCodec,
        "the raw loop with the starter's client settings and its AvroCodec instead of Avro's writer (on request)"));
    all.put("streamlet-exactly-once", new Contender("streamlet-exactly-once", Mode.STREAMLET, true, null, Map.of(),
        "the streamlet with cloudflow.delivery-guarantee=exactly-once"));
    all.put("flink-exactly-once", new Contender("flink-exactly-once", Mode.FLINK, true, null, STARTER_CLIENT_SETTINGS,
        "the hand-written job with DeliveryGuarantee.EXACTLY_ONCE and the starter's client settings"));
    all.put("heap", new Contender("heap", Mode.STREAMLET, false, heapMax, Map.of(),
        "the streamlet at -Xmx" + heapMax));
    return all;
  }

  /**
   * The Kafka client settings the starter gives every streamlet unless configured otherwise
   * ({@link KafkaStreamletContext#DEFAULT_CONSUMER_PROPERTIES}, {@link KafkaStreamletContext#DEFAULT_PRODUCER_PROPERTIES}),
   * as {@code consumer.*}/{@code producer.*} settings for the baselines.
   */
  static final Map<String, String> STARTER_CLIENT_SETTINGS = starterClientSettings();

  private static Map<String, String> starterClientSettings() {
    Map<String, String> settings = new TreeMap<>();
    KafkaStreamletContext.DEFAULT_CONSUMER_PROPERTIES.forEach((key, value) -> settings.put("consumer." + key, value));
    KafkaStreamletContext.DEFAULT_PRODUCER_PROPERTIES.forEach((key, value) -> settings.put("producer." + key, value));
    return Collections.unmodifiableMap(settings);
  }

  /**
   * A variant of a built-in, from {@code name=base[:key=value,key=value]}; the key {@code xmx} sets the
   * heap, other keys are {@code flink.*}, {@code consumer.*}, {@code producer.*} settings.
   */
  static Contender variant(String spec, Map<String, Contender> known) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("--variant wants name=base[:key=value,...], not " + spec);
    }
    String name = spec.substring(0, eq);
    String rest = spec.substring(eq + 1);
    int colon = rest.indexOf(':');
    String baseName = colon < 0 ? rest : rest.substring(0, colon);
    Contender base = known.get(baseName);
    if (base == null) {
      throw new IllegalArgumentException("Unknown base contender '" + baseName + "' in --variant " + spec
          + "; known: " + known.keySet());
    }
    Map<String, String> settings = new LinkedHashMap<>(base.settings());
    String maxHeap = base.maxHeap();
    if (colon >= 0) {
      for (String pair : rest.substring(colon + 1).split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        String[] kv = pair.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("Setting '" + pair + "' in --variant " + spec + " is not key=value");
        }
        if (kv[0].equals("xmx")) {
          maxHeap = kv[1];
        } else if (kv[0].startsWith("flink.") || kv[0].startsWith("consumer.") || kv[0].startsWith("producer.")
            || kv[0].equals(RawKafkaLoop.CODEC_SETTING)) {
          settings.put(kv[0], kv[1]);
        } else {
          throw new IllegalArgumentException("Setting '" + kv[0] + "' in --variant " + spec
              + " must start with flink., consumer. or producer. (or be xmx or " + RawKafkaLoop.CODEC_SETTING + ")");
        }
      }
    }
    return new Contender(name, base.mode(), base.exactlyOnce(), maxHeap, settings,
        base.description() + (settings.isEmpty() && maxHeap == null ? "" : "; " + settings
            + (maxHeap != null ? " -Xmx" + maxHeap : "")));
  }
}
