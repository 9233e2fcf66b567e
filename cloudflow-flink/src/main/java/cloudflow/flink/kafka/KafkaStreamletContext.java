package cloudflow.flink.kafka;

import cloudflow.flink.FlinkStreamletContext;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import com.typesafe.config.Config;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The context of a streamlet run on Kafka: each inlet becomes a {@link KafkaSource} and each outlet a
 * {@link KafkaSink} on the topic its port is mapped to.
 *
 * <p>Sources and sinks get stable uids and names ({@code inlet:<port>}, {@code outlet:<port>}) so
 * that checkpointed state maps back after a redeploy and metrics can be tagged by port.
 */
public final class KafkaStreamletContext extends FlinkStreamletContext {

  /** Prefix of the operator name of an inlet's source. */
  public static final String INLET_OPERATOR_PREFIX = "inlet:";

  /** Prefix of the operator name of an outlet's sink. */
  public static final String OUTLET_OPERATOR_PREFIX = "outlet:";

  private final StreamExecutionEnvironment env;
  private final String applicationId;
  private final String streamletRef;
  private final StreamletShape shape;
  private final Map<String, String> portMappings;
  private final Config config;
  private final KafkaSettings kafka;

  /**
   * Creates the context.
   *
   * @param env the Flink environment to build the job in
   * @param applicationId the application's id, the first part of consumer group ids
   * @param streamletRef the streamlet's name in the application
   * @param shape the streamlet's shape
   * @param portMappings the topic of each port, by port name
   * @param config the application's configuration
   * @param kafka how to reach Kafka
   */
  public KafkaStreamletContext(
      StreamExecutionEnvironment env,
      String applicationId,
      String streamletRef,
      StreamletShape shape,
      Map<String, String> portMappings,
      Config config,
      KafkaSettings kafka) {
    this.env = env;
    this.applicationId = applicationId;
    this.streamletRef = streamletRef;
    this.shape = shape;
    this.portMappings = Map.copyOf(portMappings);
    this.config = config;
    this.kafka = kafka;
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
    String groupId = applicationId + "." + streamletRef + "." + inlet.name();
    if (inlet instanceof AvroInlet<?> avro && avro.hasUniqueGroupId()) {
      groupId += "." + UUID.randomUUID();
    }
    return groupId;
  }

  /** The transactional id prefix of an outlet's exactly-once sink, stable across restarts. */
  public String transactionalIdPrefixFor(CodecOutlet<?> outlet) {
    return applicationId + "." + streamletRef + "." + outlet.name();
  }

  private boolean streamletShapeHas(CodecOutlet<?> outlet) {
    return shape.outlets().stream().anyMatch(o -> o.name().equals(outlet.name()));
  }

  @Override
  public <T> DataStream<T> readStream(CodecInlet<T> inlet) {
    String topic = topicFor(inlet);
    Properties properties = new Properties();
    properties.putAll(kafka.consumerProperties());
    if (kafka.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
      // only committed transactions, whatever spring.kafka.consumer.isolation-level says
      properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
    // client properties first: the group id and offsets set after them must not be overridden
    KafkaSource<T> source =
        KafkaSource.<T>builder()
            .setProperties(properties)
            .setBootstrapServers(kafka.bootstrapServers())
            .setTopics(topic)
            .setGroupId(groupIdFor(inlet))
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
            .setDeserializer(new CodecRecordDeserializer<>(inlet.codec(), inlet.recordClass()))
            .build();
    String name = INLET_OPERATOR_PREFIX + inlet.name();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), name, typeInfoOf(inlet.recordClass()))
        .uid(streamletRef + "." + name)
        .name(name);
  }

  @Override
  public <T> DataStreamSink<T> writeStream(CodecOutlet<T> outlet, DataStream<T> stream) {
    String name = OUTLET_OPERATOR_PREFIX + outlet.name();
    if (!portMappings.containsKey(outlet.name()) && streamletShapeHas(outlet)) {
      // a blueprint may leave an outlet unconnected (verification warned about it)
      return stream.sinkTo(new DiscardingSink<>()).uid(streamletRef + "." + name).name(name + " (unconnected)");
    }
    String topic = topicFor(outlet);
    Properties properties = new Properties();
    properties.putAll(kafka.producerProperties());
    var builder =
        KafkaSink.<T>builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .setKafkaProducerConfig(properties)
            .setRecordSerializer(new CodecRecordSerializer<>(topic, outlet.codec(), outlet.partitioner()))
            .setDeliveryGuarantee(kafka.deliveryGuarantee());
    if (kafka.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
      builder.setTransactionalIdPrefix(transactionalIdPrefixFor(outlet));
    }
    return stream.sinkTo(builder.build()).uid(streamletRef + "." + name).name(name);
  }
}
