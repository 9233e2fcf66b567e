package cloudflow.flink.kafka;

import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;

/**
 * Skips Flink's defensive copy of records that only one operator can see.
 *
 * <p>Without object reuse ({@code pipeline.object-reuse}, off by default because it breaks functions
 * that keep their input), Flink deep-copies every record passed between two chained operators with
 * the record type's serializer ({@code CopyingChainingOutput}); for an Avro record that is
 * {@code GenericData.deepCopy}, about a tenth of a pass-through streamlet's CPU. The copy protects
 * an upstream operator that keeps or reuses the object it emitted, and the other consumers of an
 * output with several. Neither applies after an inlet's source whose codec
 * {@linkplain cloudflow.streamlets.Codec#decodesNewObjects() decodes a new object per record}: the
 * source forgets a record once emitted. So where such a node has exactly one consumer, on a forward
 * edge, and that consumer has no other input, the consumer's input serializer becomes an
 * {@link OwnedRecordSerializer}, whose copy is the record itself. Every other edge, user functions'
 * included, keeps Flink's copy, and object reuse stays off.
 */
final class OwnedRecords {

  private OwnedRecords() {}

  /**
   * Marks the input of the one consumer of each node in {@code owners} (by transformation uid) as
   * owned; returns how many edges changed.
   */
  static int skipCopies(StreamGraph graph, Set<String> owners) {
    int changed = 0;
    for (StreamNode node : graph.getStreamNodes()) {
      if (!owners.contains(node.getTransformationUID())) {
        continue;
      }
      // side outputs (the dead letters of a split) are other objects, on other edges
      List<StreamEdge> main = node.getOutEdges().stream().filter(edge -> edge.getOutputTag() == null).toList();
      if (main.size() != 1) {
        continue;
      }
      StreamEdge edge = main.get(0);
      StreamNode consumer = graph.getStreamNode(edge.getTargetId());
      if (!(edge.getPartitioner() instanceof ForwardPartitioner)
          || consumer.getInEdges().size() != 1
          || consumer.getTypeSerializersIn().length != 1
          || consumer.getTypeSerializersIn()[0] == null) {
        continue;
      }
      TypeSerializer<?> input = consumer.getTypeSerializersIn()[0];
      if (!(input instanceof OwnedRecordSerializer)) {
        consumer.setSerializersIn(OwnedRecordSerializer.of(input));
        changed++;
      }
    }
    return changed;
  }
}
