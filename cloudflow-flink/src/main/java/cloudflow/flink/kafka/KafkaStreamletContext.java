package cloudflow.flink.kafka;

import cloudflow.flink.plan.BadRecordHandling;
import cloudflow.flink.plan.StreamletOptions;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.metrics.StreamletMeters;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.plan.TopicSettings;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.InletErrorHandler;
import cloudflow.streamlets.StreamletShape;
import com.typesafe.config.Config;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The context of a streamlet run on Kafka: each inlet becomes a {@link KafkaSource} and each outlet a
 * {@link KafkaSink} on the topic its port is mapped to. An inlet with the dead-letter policy also
 * gets a split after its source and a {@link KafkaSink} of its dead letters. Each source and sink
 * connects to its topic's Kafka cluster with that topic's client settings ({@link KafkaClusters#forTopic}).
 *
 * <p>Sources and sinks get stable uids and names ({@code inlet:<port>}, {@code outlet:<port>}) so
 * that checkpointed state maps back after a redeploy and metrics can be tagged by port.
 */
public final class KafkaStreamletContext extends FlinkStreamletContext {

  /** Prefix of the operator name of an inlet's source. */
  public static final String INLET_OPERATOR_PREFIX = StreamletMeters.INLET_OPERATOR_PREFIX;

  /**
   * Prefix of the operator names of a dead-lettering inlet's split and dead-letter sink: not
   * {@link #INLET_OPERATOR_PREFIX}, so their own records-in and -out are not counted as the inlet's.
   */
  public static final String DEAD_LETTER_OPERATOR_PREFIX = "dead-letters:";

  /** Prefix of the operator name of an outlet's sink. */
  public static final String OUTLET_OPERATOR_PREFIX = StreamletMeters.OUTLET_OPERATOR_PREFIX;

  /**
   * The producer's {@code transaction.timeout.ms} for exactly-once sinks unless set otherwise
   * ({@link StreamletOptions#TRANSACTION_TIMEOUT}).
   */
  public static final String DEFAULT_TRANSACTION_TIMEOUT_MS =
      String.valueOf(StreamletOptions.TRANSACTION_TIMEOUT.defaultValue().toMillis());

  /**
   * Consumer settings of every inlet unless the client properties set them
   * ({@link StreamletOptions#CONSUMER_MAX_POLL_RECORDS}): bigger polls than the client's 500 records,
   * measured in {@code benchmarks} to cut per-poll overhead of small records.
   */
  public static final Map<String, String> DEFAULT_CONSUMER_PROPERTIES =
      Map.of("max.poll.records", String.valueOf(StreamletOptions.CONSUMER_MAX_POLL_RECORDS.defaultValue()));

  /**
   * Producer settings of every outlet unless the client properties set them
   * ({@link StreamletOptions#PRODUCER_LINGER}, {@link StreamletOptions#PRODUCER_BATCH_SIZE}): batches
   * measured in {@code benchmarks} to raise throughput (most of all exactly-once, whose commits flush
   * every batch) at a latency cost well below the checkpoint interval.
   */
  public static final Map<String, String> DEFAULT_PRODUCER_PROPERTIES = Map.of(
      "linger.ms", String.valueOf(StreamletOptions.PRODUCER_LINGER.defaultValue().toMillis()),
      "batch.size", String.valueOf(StreamletOptions.PRODUCER_BATCH_SIZE.defaultValue()));

  private static final long serialVersionUID = 1L;

  // What a logic captured by a function may still read on a task manager...
  private final String streamletRef;
  private final Config config;
  private final Map<String, String> portMappings;
  // ...and what only the client building the job needs.
  private final transient StreamExecutionEnvironment env;
  private final transient StreamletDefinition definition;
  private final transient StreamletShape shape;
  private final transient KafkaClusters clusters;
  // uids of the nodes whose output records no one else sees (OwnedRecords)
  private final transient Set<String> ownedRecordNodes = new HashSet<>();

  /**
   * Creates the context for an application with one Kafka cluster.
   *
   * @param env the Flink environment to build the job in
   * @param definition the streamlet's name, topics, configuration and delivery settings
   * @param shape the streamlet's shape
   * @param kafka how to reach Kafka
   */
  public KafkaStreamletContext(
      StreamExecutionEnvironment env, StreamletDefinition definition, StreamletShape shape, KafkaSettings kafka) {
    this(env, definition, shape, KafkaClusters.of(kafka));
  }

  /**
   * Creates the context.
   *
   * @param env the Flink environment to build the job in
   * @param definition the streamlet's name, topics, configuration and delivery settings
   * @param shape the streamlet's shape
   * @param clusters how to reach the Kafka cluster of each topic
   */
  public KafkaStreamletContext(
      StreamExecutionEnvironment env, StreamletDefinition definition, StreamletShape shape, KafkaClusters clusters) {
    this.env = env;
    this.definition = definition;
    this.shape = shape;
    this.clusters = clusters;
    this.streamletRef = definition.streamletRef();
    this.config = definition.config();
    this.portMappings = Collections.unmodifiableMap(new LinkedHashMap<>(definition.portMappings()));
  }

  @Override
  public StreamExecutionEnvironment env() {
    return env;
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public String streamletRef() {
    return streamletRef;
  }

  @Override
  public Map<String, String> portMappings() {
    return portMappings;
  }

  /**
   * The consumer group of an inlet: {@code <application-id>.<streamlet>.<inlet>}, stable across
   * restarts so committed offsets are found again.
   */
  public String groupIdFor(CodecInlet<?> inlet) {
    String groupId = definition.applicationId() + "." + streamletRef() + "." + inlet.name();
    if (inlet.hasUniqueGroupId()) {
      groupId += "." + UUID.randomUUID();
    }
    return groupId;
  }

  /** The transactional id prefix of an outlet's exactly-once sink, stable across restarts. */
  public String transactionalIdPrefixFor(CodecOutlet<?> outlet) {
    return definition.applicationId() + "." + streamletRef() + "." + outlet.name();
  }

  /**
   * The transactional id prefix of the exactly-once sink of an inlet's dead letters
   * ({@code <application-id>.<streamlet>.<inlet>.dead-letter}), stable across restarts and apart from
   * every outlet's.
   */
  public String deadLetterTransactionalIdPrefixFor(CodecInlet<?> inlet) {
    return definition.applicationId() + "." + streamletRef() + "." + inlet.name() + ".dead-letter";
  }

  /** The consumer properties of an inlet on a topic with default settings ({@link #sourceProperties(String)}). */
  public Properties sourceProperties() {
    return sourceProperties(clusters.defaultCluster().consumer());
  }

  /**
   * The consumer properties of the inlet reading {@code topic}: the consumers' bootstrap servers and
   * client properties of the topic's cluster with the topic's connection and consumer settings on top,
   * then {@link #DEFAULT_CONSUMER_PROPERTIES} for what they leave unset, and always {@code read_committed}.
   */
  public Properties sourceProperties(String topic) {
    return sourceProperties(clusters.forTopic(definition.topicSettings(topic)).consumer());
  }

  private static Properties sourceProperties(KafkaSettings.Client consumer) {
    Properties properties = new Properties();
    properties.putAll(consumer.properties());
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, consumer.bootstrapServers());
    DEFAULT_CONSUMER_PROPERTIES.forEach(properties::putIfAbsent);
    // Always committed records only: the topic may be written by an exactly-once streamlet, whose
    // aborted transactions must not be read; for non-transactional topics it changes nothing.
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return properties;
  }

  /** The producer properties of an outlet on a topic with default settings ({@link #sinkProperties(String)}). */
  public Properties sinkProperties() {
    return sinkProperties(clusters.defaultCluster().producer());
  }

  /**
   * The producer properties of the sink writing {@code topic} (an outlet's, or a dead-letter sink's):
   * the producers' bootstrap servers and client properties of the topic's cluster with the topic's
   * connection and producer settings on top, then {@link #DEFAULT_PRODUCER_PROPERTIES} and, for
   * exactly-once, {@link #DEFAULT_TRANSACTION_TIMEOUT_MS} for what they leave unset.
   */
  public Properties sinkProperties(String topic) {
    return sinkProperties(producerOf(definition.topicSettings(topic)));
  }

  private KafkaSettings.Client producerOf(TopicSettings topic) {
    return clusters.forTopic(topic).producer();
  }

  private Properties sinkProperties(KafkaSettings.Client producer) {
    Properties properties = new Properties();
    properties.putAll(producer.properties());
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, producer.bootstrapServers());
    DEFAULT_PRODUCER_PROPERTIES.forEach(properties::putIfAbsent);
    if (definition.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
      properties.putIfAbsent("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
    }
    return properties;
  }

  private boolean streamletShapeHas(CodecOutlet<?> outlet) {
    return shape.outlets().stream().anyMatch(o -> o.name().equals(outlet.name()));
  }

  @Override
  public <T> DataStream<T> readStream(CodecInlet<T> inlet) {
    String topic = topicFor(inlet);
    String name = INLET_OPERATOR_PREFIX + inlet.name();
    String uid = streamletRef() + "." + name;
    InletErrorHandler<T> handler = inlet.errorHandler().orElse(null);
    BadRecordHandling badRecords = definition.badRecordsOf(inlet.name());
    // a new object per record, and no error handler whose replacement records could be shared
    boolean owned = handler == null && inlet.codec().decodesNewObjects();
    if (badRecords.policy() != BadRecordHandling.Policy.DEAD_LETTER) {
      if (owned) {
        ownedRecordNodes.add(uid);
      }
      KafkaSource<T> source = source(inlet, topic,
          new CodecRecordDeserializer<>(inlet.name(), topic, inlet.codec(), inlet.recordClass(), handler, badRecords));
      return env.fromSource(source, WatermarkStrategy.noWatermarks(), name, typeInfoOf(inlet.recordClass()))
          .uid(uid)
          .name(name);
    }
    // The source only tells bad records apart; a split right after it (chained, so no network hop)
    // sends them through a side output to a KafkaSink, which writes them with the streamlet's
    // delivery guarantee: exactly-once dead letters become visible when the checkpoint commits.
    if (owned) {
      // the split passes the source's records on and keeps none
      ownedRecordNodes.add(uid);
      ownedRecordNodes.add(uid + ".dead-letter-split");
    }
    KafkaSource<Either<T, DeadLetter>> source = source(inlet, topic,
        new DeadLetteringDeserializer<>(inlet.name(), topic, inlet.codec(), inlet.recordClass(), handler));
    SingleOutputStreamOperator<T> decoded =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), name, DeadLetteringDeserializer.typeOf(inlet.recordClass()))
            .uid(uid)
            .name(name)
            .process(new DeadLetterSplit<T>(badRecords.deadLetterTopic()), typeInfoOf(inlet.recordClass()))
            .uid(uid + ".dead-letter-split")
            .name(DEAD_LETTER_OPERATOR_PREFIX + inlet.name() + " split");
    decoded.getSideOutput(DeadLetterSplit.DEAD_LETTERS)
        .sinkTo(sink(new DeadLetterSerializer(badRecords.deadLetterTopic()), deadLetterTransactionalIdPrefixFor(inlet),
            sinkProperties(producerOf(definition.deadLetterTopicSettings(inlet.name())))))
        .uid(uid + ".dead-letter")
        .name(DEAD_LETTER_OPERATOR_PREFIX + inlet.name());
    return decoded;
  }

  /**
   * The job graph of what the streamlet's logic built ({@code env().getStreamGraph()}, which also
   * clears the environment), with Flink's defensive copy skipped where an inlet's records can be seen
   * by one operator only: the one consumer of an inlet's source whose codec
   * {@linkplain cloudflow.streamlets.Codec#decodesNewObjects() decodes a new object per record} and
   * that has no error handler. See {@link OwnedRecords}; object reuse for user functions stays off.
   */
  public StreamGraph streamGraph() {
    StreamGraph graph = env.getStreamGraph();
    OwnedRecords.skipCopies(graph, ownedRecordNodes);
    return graph;
  }

  private <T> KafkaSource<T> source(CodecInlet<?> inlet, String topic, KafkaRecordDeserializationSchema<T> deserializer) {
    // client properties first: the group id and offsets set after them must not be overridden
    return KafkaSource.<T>builder()
        .setProperties(sourceProperties(topic))
        .setTopics(topic)
        .setGroupId(groupIdFor(inlet))
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(deserializer)
        .build();
  }

  /** A sink with this streamlet's delivery guarantee; exactly-once ones use {@code transactionalIdPrefix}. */
  private <T> KafkaSink<T> sink(
      KafkaRecordSerializationSchema<T> serializer, String transactionalIdPrefix, Properties producerProperties) {
    DeliveryGuarantee guarantee = definition.deliveryGuarantee();
    var builder =
        KafkaSink.<T>builder()
            .setKafkaProducerConfig(producerProperties)
            .setRecordSerializer(serializer)
            .setDeliveryGuarantee(guarantee);
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      // Pooled transactional ids: the default (a new id per checkpoint) costs a producer start per
      // checkpoint and leaves the brokers one id per checkpoint to keep for a week; measured in
      // benchmarks, pooling is ~10 % faster at 1 s checkpoints. It needs brokers that list
      // transactions (Kafka 3.0+), which ExactlyOnceCheck checks at startup.
      builder.setTransactionalIdPrefix(transactionalIdPrefix)
          .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING);
    }
    return builder.build();
  }

  @Override
  public <T> DataStreamSink<T> writeStream(CodecOutlet<T> outlet, DataStream<T> stream) {
    String name = OUTLET_OPERATOR_PREFIX + outlet.name();
    if (!portMappings().containsKey(outlet.name()) && streamletShapeHas(outlet)) {
      // a blueprint may leave an outlet unconnected (verification warned about it)
      return stream.sinkTo(new DiscardingSink<>()).uid(streamletRef() + "." + name).name(name + " (unconnected)");
    }
    String topic = topicFor(outlet);
    KafkaSink<T> sink = sink(
        new CodecRecordSerializer<>(outlet.name(), topic, outlet.codec(), outlet.partitioner()), transactionalIdPrefixFor(outlet),
        sinkProperties(topic));
    return stream.sinkTo(sink).uid(streamletRef() + "." + name).name(name);
  }
}
