package cloudflow.blueprint;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.Inlet;
import cloudflow.streamlets.Outlet;
import cloudflow.streamlets.SchemaDefinition;
import cloudflow.streamlets.StreamletPort;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.bytearray.ByteArrayCodec;
import cloudflow.streamlets.json.JsonCodec;
import cloudflow.streamlets.proto.javadsl.ProtoSchemas;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaCompatibility;

/**
 * Checks a blueprint against the shapes of its streamlets and reports every problem at once:
 * invalid names, streamlets that cannot be found or whose shape cannot be read, unknown ports, ports
 * on the wrong side of a topic, inlets connected to no topic or to several, outlets connected to none
 * (a warning, or an error when strict), topics without producers or consumers that are not marked
 * {@code external}, producers whose Avro schema a consumer cannot read, and producers whose Protobuf
 * message a consumer cannot read ({@link ProtoCompatibility}). Raw ports ({@code ExternalInlet},
 * {@code ExternalOutlet}) and JSON ports are for topics that systems outside the blueprint write or
 * read: their schemas are not checked, and a topic whose only ends on one side are such ports counts
 * as external.
 *
 * <p>Use it in a unit test to get the build-time check Cloudflow's build plugin gave:
 *
 * <pre>{@code
 * VerificationResult result = BlueprintVerifier.verify(
 *     Blueprint.loadResource("blueprint.conf", getClass().getClassLoader()), StreamletResolver.of(Map.of()));
 * assertTrue(result.isValid(), result.toText());
 * }</pre>
 */
public final class BlueprintVerifier {

  private static final Pattern STREAMLET_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  // the formats of ports for topics that systems outside the blueprint write or read
  private static final Set<String> FOREIGN_FORMATS = Set.of(ByteArrayCodec.FORMAT, JsonCodec.FORMAT);

  private final Blueprint blueprint;
  private final boolean strictOutlets;
  private final List<BlueprintProblem> problems = new ArrayList<>();
  private final Map<String, StreamletShape> shapes = new LinkedHashMap<>();
  private final Map<String, List<String>> topicsOfPort = new LinkedHashMap<>();

  private BlueprintVerifier(Blueprint blueprint, boolean strictOutlets) {
    this.blueprint = blueprint;
    this.strictOutlets = strictOutlets;
  }

  /** Verifies a blueprint; unconnected outlets are warnings. */
  public static VerificationResult verify(Blueprint blueprint, StreamletResolver resolver) {
    return verify(blueprint, resolver, false);
  }

  /** Verifies a blueprint; with {@code strictOutlets}, an unconnected outlet is an error. */
  public static VerificationResult verify(Blueprint blueprint, StreamletResolver resolver, boolean strictOutlets) {
    BlueprintVerifier verifier = new BlueprintVerifier(blueprint, strictOutlets);
    verifier.readShapes(resolver);
    verifier.checkTopics();
    verifier.checkPortsConnected();
    verifier.checkSchemas();
    return new VerificationResult(verifier.problems);
  }

  private void readShapes(StreamletResolver resolver) {
    blueprint.streamlets().forEach((ref, beanOrClass) -> {
      if (!STREAMLET_NAME.matcher(ref).matches()) {
        problems.add(BlueprintProblem.error(ref, null, null, "Invalid streamlet name '" + ref
            + "': use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters"));
      }
      FlinkStreamlet streamlet;
      try {
        streamlet = resolver.resolve(beanOrClass);
      } catch (RuntimeException e) {
        problems.add(BlueprintProblem.error(ref, null, null, "Streamlet '" + ref + "' refers to " + beanOrClass + ": " + e.getMessage()));
        return;
      }
      try {
        shapes.put(ref, streamlet.shape());
      } catch (RuntimeException e) {
        problems.add(BlueprintProblem.error(ref, null, null, "The shape of streamlet '" + ref + "' ("
            + streamlet.getClass().getName() + ") cannot be read: " + e.getMessage()));
      }
    });
  }

  private void checkTopics() {
    for (Blueprint.Topic topic : blueprint.topics().values()) {
      if (!TOPIC_NAME.matcher(topic.kafkaName()).matches()) {
        problems.add(BlueprintProblem.error(null, null, topic.key(), "Invalid topic name '" + topic.kafkaName()
            + "' of topic '" + topic.key() + "': use letters, digits, '.', '_' and '-', at most 249 characters"));
      }
      checkEnds(topic, topic.producers(), true);
      checkEnds(topic, topic.consumers(), false);
      if (topic.producers().isEmpty() && topic.consumers().isEmpty()) {
        problems.add(BlueprintProblem.error(null, null, topic.key(), "Topic '" + topic.key() + "' has no producers and no consumers"));
      } else if (topic.producers().isEmpty() && !topic.external() && !allForeign(topic.consumers())) {
        problems.add(BlueprintProblem.error(null, null, topic.key(), "Topic '" + topic.key()
            + "' has consumers but no producer; mark it 'external = true' if it is written outside this blueprint"));
      } else if (topic.consumers().isEmpty() && !topic.external() && !allForeign(topic.producers())) {
        problems.add(BlueprintProblem.error(null, null, topic.key(), "Topic '" + topic.key()
            + "' has producers but no consumer; mark it 'external = true' if it is read outside this blueprint"));
      }
    }
  }

  /** Whether every one of these ends is a raw or JSON port, meant for a system outside the blueprint. */
  private boolean allForeign(List<String> portRefs) {
    return portRefs.stream().allMatch(portRef -> portAt(portRef).map(StreamletPort::schemaDefinition)
        .filter(schema -> FOREIGN_FORMATS.contains(schema.format())).isPresent());
  }

  private void checkEnds(Blueprint.Topic topic, List<String> portRefs, boolean producers) {
    String side = producers ? "producer" : "consumer";
    Set<String> seen = new HashSet<>();
    for (String portRef : portRefs) {
      int dot = portRef.indexOf('.');
      if (dot <= 0 || dot != portRef.lastIndexOf('.') || dot == portRef.length() - 1) {
        problems.add(BlueprintProblem.error(null, null, topic.key(), "Invalid " + side + " '" + portRef
            + "' of topic '" + topic.key() + "': write <streamlet>.<port>"));
        continue;
      }
      String ref = portRef.substring(0, dot);
      String port = portRef.substring(dot + 1);
      if (!seen.add(portRef)) {
        problems.add(BlueprintProblem.error(ref, port, topic.key(), "Topic '" + topic.key() + "' lists " + side + " " + portRef + " twice"));
        continue;
      }
      if (!blueprint.streamlets().containsKey(ref)) {
        problems.add(BlueprintProblem.error(ref, port, topic.key(), "Topic '" + topic.key() + "' refers to unknown streamlet '" + ref
            + "' in " + portRef + "; streamlets: " + blueprint.streamlets().keySet()));
        continue;
      }
      topicsOfPort.computeIfAbsent(portRef, k -> new ArrayList<>()).add(topic.key());
      StreamletShape shape = shapes.get(ref);
      if (shape == null) {
        continue; // already reported: the streamlet or its shape could not be read
      }
      Optional<StreamletPort> found = shape.port(port);
      if (found.isEmpty()) {
        problems.add(BlueprintProblem.error(ref, port, topic.key(), "Topic '" + topic.key() + "' refers to unknown port '" + port
            + "' of streamlet '" + ref + "'; its ports: " + shape.ports().stream().map(StreamletPort::name).toList()));
      } else if (producers && !(found.get() instanceof Outlet)) {
        problems.add(BlueprintProblem.error(ref, port, topic.key(), portRef + " is an inlet but is listed as producer of topic '" + topic.key() + "'"));
      } else if (!producers && !(found.get() instanceof Inlet)) {
        problems.add(BlueprintProblem.error(ref, port, topic.key(), portRef + " is an outlet but is listed as consumer of topic '" + topic.key() + "'"));
      }
    }
  }

  private void checkPortsConnected() {
    shapes.forEach((ref, shape) -> {
      for (StreamletPort port : shape.ports()) {
        List<String> topics = topicsOfPort.getOrDefault(ref + "." + port.name(), List.of());
        boolean inlet = port instanceof Inlet;
        String kind = inlet ? "Inlet" : "Outlet";
        if (topics.size() > 1) {
          problems.add(BlueprintProblem.error(ref, port.name(), topics.get(1), kind + " " + ref + "." + port.name()
              + " is connected to several topics " + topics + "; a port reads from or writes to one topic"));
        } else if (topics.isEmpty() && (inlet || strictOutlets)) {
          problems.add(BlueprintProblem.error(ref, port.name(), null, kind + " " + ref + "." + port.name() + " is not connected to any topic"));
        } else if (topics.isEmpty()) {
          problems.add(BlueprintProblem.warning(ref, port.name(), null, "Outlet " + ref + "." + port.name()
              + " is not connected to any topic; what it writes is dropped"));
        }
      }
    });
  }

  private void checkSchemas() {
    for (Blueprint.Topic topic : blueprint.topics().values()) {
      for (String producer : topic.producers()) {
        for (String consumer : topic.consumers()) {
          Optional<SchemaDefinition> written = schemaOf(producer);
          Optional<SchemaDefinition> read = schemaOf(consumer);
          if (written.isPresent() && read.isPresent()) {
            checkCompatible(topic, producer, written.get(), consumer, read.get());
          }
        }
      }
    }
  }

  private void checkCompatible(Blueprint.Topic topic, String producer, SchemaDefinition written, String consumer, SchemaDefinition read) {
    if (ByteArrayCodec.FORMAT.equals(written.format()) || ByteArrayCodec.FORMAT.equals(read.format())) {
      return; // raw bytes: the streamlet itself encodes or decodes them
    }
    if (!written.format().equals(read.format())) {
      problems.add(BlueprintProblem.error(streamletOf(consumer), portOf(consumer), topic.key(), consumer + " reads " + read.format()
          + " but " + producer + " writes " + written.format() + " to topic '" + topic.key() + "'"));
      return;
    }
    if (JsonCodec.FORMAT.equals(written.format()) || written.fingerprint().equals(read.fingerprint())) {
      return;
    }
    if ("avro".equals(written.format())) {
      checkAvro(topic, producer, written, consumer, read);
    } else if (ProtoSchemas.FORMAT.equals(written.format())) {
      checkProto(topic, producer, written, consumer, read);
    }
  }

  private void checkAvro(Blueprint.Topic topic, String producer, SchemaDefinition written, String consumer, SchemaDefinition read) {
    Schema writer = new Schema.Parser().parse(written.schema());
    Schema reader = new Schema.Parser().parse(read.schema());
    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      List<String> reasons = result.getResult().getIncompatibilities().stream()
          .map(i -> i.getMessage() + " at " + i.getLocation())
          .toList();
      problems.add(BlueprintProblem.error(streamletOf(consumer), portOf(consumer), topic.key(), "Schema " + read.name() + " of "
          + consumer + " cannot read schema " + written.name() + " that " + producer + " writes to topic '" + topic.key()
          + "': " + String.join("; ", reasons)));
    }
  }

  private void checkProto(Blueprint.Topic topic, String producer, SchemaDefinition written, String consumer, SchemaDefinition read) {
    Optional<Descriptor> writer = descriptorOf(producer);
    Optional<Descriptor> reader = descriptorOf(consumer);
    List<String> reasons;
    if (writer.isPresent() && reader.isPresent()) {
      reasons = ProtoCompatibility.incompatibilities(writer.get(), reader.get());
    } else {
      // a port of our own making without a generated class: only the message type can be compared
      reasons = written.name().equals(read.name()) ? List.of() : List.of("the message types differ");
    }
    if (!reasons.isEmpty()) {
      problems.add(BlueprintProblem.error(streamletOf(consumer), portOf(consumer), topic.key(), "Message " + read.name() + " of "
          + consumer + " cannot read message " + written.name() + " that " + producer + " writes to topic '" + topic.key()
          + "': " + String.join("; ", reasons)));
    }
  }

  private Optional<Descriptor> descriptorOf(String portRef) {
    return portAt(portRef).map(port -> port instanceof CodecInlet<?> inlet ? inlet.recordClass()
            : port instanceof CodecOutlet<?> outlet ? outlet.recordClass() : Object.class)
        .filter(Message.class::isAssignableFrom)
        .map(recordClass -> ProtoSchemas.descriptorOf(recordClass.asSubclass(Message.class)));
  }

  private Optional<StreamletPort> portAt(String portRef) {
    StreamletShape shape = shapes.get(streamletOf(portRef));
    return shape == null ? Optional.empty() : shape.port(portOf(portRef));
  }

  private Optional<SchemaDefinition> schemaOf(String portRef) {
    return portAt(portRef).map(StreamletPort::schemaDefinition);
  }

  private static String streamletOf(String portRef) {
    int dot = portRef.indexOf('.');
    return dot < 0 ? portRef : portRef.substring(0, dot);
  }

  private static String portOf(String portRef) {
    return portRef.substring(portRef.indexOf('.') + 1);
  }
}
