package cloudflow.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.plan.BadRecordHandling;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.testdata.Reading;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.StreamletShape;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/** The Kafka client properties and operators {@link KafkaStreamletContext} gives inlets and outlets. */
class KafkaStreamletContextTest {

  @Test
  void batchesProducerSendsAndPollsMoreRecordsUnlessTheClientPropertiesSayOtherwise() {
    KafkaStreamletContext defaults = context(DeliveryGuarantee.AT_LEAST_ONCE, Map.of(), Map.of());

    assertThat(defaults.sinkProperties())
        .containsEntry("linger.ms", "10")
        .containsEntry("batch.size", "65536")
        .doesNotContainKey("transaction.timeout.ms");
    assertThat(defaults.sourceProperties())
        .containsEntry("max.poll.records", "2000")
        .containsEntry("isolation.level", "read_committed");

    KafkaStreamletContext configured = context(DeliveryGuarantee.AT_LEAST_ONCE,
        Map.of("max.poll.records", "100", "isolation.level", "read_uncommitted"),
        Map.of("linger.ms", "0", "compression.type", "zstd"));

    assertThat(configured.sinkProperties())
        .containsEntry("linger.ms", "0")
        .containsEntry("batch.size", "65536")
        .containsEntry("compression.type", "zstd");
    // aborted transactions of an exactly-once writer must never be read, whatever is configured
    assertThat(configured.sourceProperties())
        .containsEntry("max.poll.records", "100")
        .containsEntry("isolation.level", "read_committed");
  }

  @Test
  void givesExactlyOnceProducersATransactionTimeoutBelowTheBrokersMaximumUnlessSet() {
    assertThat(context(DeliveryGuarantee.EXACTLY_ONCE, Map.of(), Map.of()).sinkProperties())
        .containsEntry("transaction.timeout.ms", KafkaStreamletContext.DEFAULT_TRANSACTION_TIMEOUT_MS);
    assertThat(context(DeliveryGuarantee.EXACTLY_ONCE, Map.of(), Map.of("transaction.timeout.ms", "60000"))
            .sinkProperties())
        .containsEntry("transaction.timeout.ms", "60000");
  }

  @Test
  void sendsTheDeadLettersOfAnInletThroughASplitAndASinkWithStableUids() {
    AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    AvroInlet<Reading> other = AvroInlet.create("other", Reading.class);
    StreamletDefinition definition = new StreamletDefinition("app", "processor",
        Map.of("in", "readings", "other", "more-readings"), ConfigFactory.empty(), DeliveryGuarantee.EXACTLY_ONCE,
        Map.of("in", new BadRecordHandling(BadRecordHandling.Policy.DEAD_LETTER, "readings.dead-letter")), Map.of());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    KafkaStreamletContext context = new KafkaStreamletContext(
        env, definition, StreamletShape.createWithInlets(in, other), KafkaSettings.of("localhost:9092"));

    context.readStream(in).sinkTo(new DiscardingSink<>()).uid("main");
    context.readStream(other).sinkTo(new DiscardingSink<>()).uid("other");

    Map<String, String> nodes = new HashMap<>();
    env.getStreamGraph().getStreamNodes()
        .forEach(node -> nodes.put(node.getTransformationUID(), node.getOperatorName()));
    // the source keeps its uid and name (savepoints and the badRecords metric find it), and the new
    // operators are not named like an inlet, whose records-in they would otherwise add to
    assertThat(nodes)
        .containsEntry("processor.inlet:in", "Source: inlet:in")
        .containsEntry("processor.inlet:in.dead-letter-split", "dead-letters:in split")
        .containsEntry("processor.inlet:other", "Source: inlet:other")
        .containsKey("processor.inlet:in.dead-letter")
        .doesNotContainKey("processor.inlet:other.dead-letter-split");
    assertThat(nodes.values()).filteredOn(name -> name.startsWith("Source: " + KafkaStreamletContext.INLET_OPERATOR_PREFIX))
        .hasSize(2);
    assertThat(context.deadLetterTransactionalIdPrefixFor(in)).isEqualTo("app.processor.in.dead-letter");
  }

  @Test
  void sourcesSinksAndDeadLetterSinksUseTheirOwnClientsBrokers() {
    StreamletDefinition definition = new StreamletDefinition(
        "app", "processor", Map.of(), ConfigFactory.empty(), DeliveryGuarantee.AT_LEAST_ONCE, Map.of(), Map.of());
    KafkaSettings kafka = new KafkaSettings(
        new KafkaSettings.Client("consumers:9092", Map.of()),
        new KafkaSettings.Client("producers:9092", Map.of("compression.type", "zstd")),
        new KafkaSettings.Client("admins:9092", Map.of()));
    KafkaStreamletContext context = new KafkaStreamletContext(
        StreamExecutionEnvironment.getExecutionEnvironment(), definition, StreamletShape.createEmpty(), kafka);

    assertThat(context.sourceProperties()).containsEntry("bootstrap.servers", "consumers:9092");
    // outlets and dead-letter sinks are built from the same producer properties
    assertThat(context.sinkProperties())
        .containsEntry("bootstrap.servers", "producers:9092")
        .containsEntry("compression.type", "zstd");
  }

  @Test
  @SuppressWarnings("unchecked")
  void skipsFlinksCopyOfAnInletsRecordsOnlyWhereOneOperatorCanSeeThem() {
    AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    AvroInlet<Reading> twice = AvroInlet.create("twice", Reading.class);
    AvroInlet<Reading> lenient = AvroInlet.create("lenient", Reading.class, false, (bytes, cause) -> Optional.empty());
    AvroInlet<Reading> dead = AvroInlet.create("dead", Reading.class);
    StreamletDefinition definition = new StreamletDefinition("app", "processor",
        Map.of("in", "a", "twice", "b", "lenient", "c", "dead", "d"), ConfigFactory.empty(), DeliveryGuarantee.AT_LEAST_ONCE,
        Map.of("dead", new BadRecordHandling(BadRecordHandling.Policy.DEAD_LETTER, "d.dead-letter")), Map.of());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    KafkaStreamletContext context = new KafkaStreamletContext(
        env, definition, StreamletShape.createWithInlets(in, twice, lenient, dead), KafkaSettings.of("localhost:9092"));

    context.readStream(in).map(r -> r).uid("map").sinkTo(new DiscardingSink<>());
    DataStream<Reading> shared = context.readStream(twice);
    shared.sinkTo(new DiscardingSink<>());
    shared.sinkTo(new DiscardingSink<>());
    context.readStream(lenient).sinkTo(new DiscardingSink<>());
    context.readStream(dead).sinkTo(new DiscardingSink<>());
    StreamGraph graph = context.streamGraph();

    // the source forgets each new record once emitted: its one consumer gets it without a copy...
    assertThat(consumerInputs(graph, "processor.inlet:in")).singleElement().isInstanceOf(OwnedRecordSerializer.class);
    // ...but what a user function emits is copied as before (no object reuse)
    assertThat(consumerInputs(graph, "map")).singleElement().isNotInstanceOf(OwnedRecordSerializer.class);
    // two consumers of one source could see each other's changes
    assertThat(consumerInputs(graph, "processor.inlet:twice")).hasSize(2)
        .allSatisfy(serializer -> assertThat(serializer).isNotInstanceOf(OwnedRecordSerializer.class));
    // an error handler may return the same replacement object for several records
    assertThat(consumerInputs(graph, "processor.inlet:lenient")).singleElement()
        .isNotInstanceOf(OwnedRecordSerializer.class);
    // a dead-lettering inlet: source -> split -> the streamlet's operator, both edges without a copy
    assertThat(consumerInputs(graph, "processor.inlet:dead")).singleElement().isInstanceOf(OwnedRecordSerializer.class);
    assertThat(consumerInputs(graph, "processor.inlet:dead.dead-letter-split")).hasSize(2)
        .filteredOn(serializer -> serializer instanceof OwnedRecordSerializer).hasSize(1);
    OwnedRecordSerializer<?> owned = (OwnedRecordSerializer<?>) consumerInputs(graph, "processor.inlet:in").get(0);
    Reading reading = Reading.newBuilder().setId("r").setValue(1L).build();
    assertThat(((OwnedRecordSerializer<Reading>) owned).copy(reading)).isSameAs(reading);
    assertThat(((TypeSerializer<Reading>) owned.wrapped()).copy(reading)).isEqualTo(reading).isNotSameAs(reading);
  }

  /** The input serializers of the operators reading {@code uid}'s output, main and side outputs. */
  private static List<TypeSerializer<?>> consumerInputs(StreamGraph graph, String uid) {
    StreamNode node = graph.getStreamNodes().stream().filter(n -> uid.equals(n.getTransformationUID())).findFirst()
        .orElseThrow(() -> new AssertionError("no node " + uid));
    return node.getOutEdges().stream().map(edge -> graph.getStreamNode(edge.getTargetId()).getTypeSerializersIn()[0])
        .collect(Collectors.toList());
  }

  private static KafkaStreamletContext context(
      DeliveryGuarantee guarantee, Map<String, String> consumer, Map<String, String> producer) {
    StreamletDefinition definition = new StreamletDefinition(
        "app", "processor", Map.of(), ConfigFactory.empty(), guarantee, Map.of(), Map.of());
    return new KafkaStreamletContext(StreamExecutionEnvironment.getExecutionEnvironment(), definition,
        StreamletShape.createEmpty(), new KafkaSettings("localhost:9092", consumer, producer));
  }
}
