package cloudflow.flink.runtime;

import cloudflow.flink.plan.SettingNames;
import cloudflow.flink.startup.UnclaimedStateException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.graph.StreamingJobGraphGenerator;

/**
 * What a streamlet's new job does with the restore point it is given, decided before the job is
 * submitted: the operators of the restore point whose state no operator of the new job claims (Flink
 * matches them by operator id, which is the hash of the uid), named by the uid they had. Flink itself
 * refuses such a restore only once the job is submitted, with the operator's hash and a CLI flag that
 * a {@code java -jar} process does not have.
 *
 * @param streamletRef the streamlet
 * @param point what the restore point holds
 * @param uids the uid of each operator of the new job that has one, by operator id
 * @param vertices the operators of each task (job vertex) of the new job, head first
 * @param unclaimed the restore point's operators with state that no operator of the new job claims
 */
record RestoreCheck(String streamletRef, RestorePoint point, Map<OperatorID, String> uids,
    Map<JobVertexID, List<OperatorID>> vertices, List<RestorePoint.Operator> unclaimed) {

  /**
   * Compares a restore point with the new job.
   *
   * @param streamletRef the streamlet
   * @param point what the restore point holds
   * @param streamGraph the new job's stream graph (its uids)
   * @param jobGraph the new job's job graph (the operator ids Flink restores by)
   */
  static RestoreCheck of(String streamletRef, RestorePoint point, StreamGraph streamGraph, JobGraph jobGraph) {
    Map<OperatorID, String> uids = new LinkedHashMap<>();
    for (StreamNode node : streamGraph.getStreamNodes()) {
      if (node.getTransformationUID() != null) {
        uids.put(StreamingJobGraphGenerator.generateOperatorID(node.getTransformationUID()), node.getTransformationUID());
      }
    }
    Set<OperatorID> claimed = new HashSet<>();
    Map<JobVertexID, List<OperatorID>> vertices = new LinkedHashMap<>();
    for (JobVertex vertex : jobGraph.getVertices()) {
      List<OperatorID> operators = new ArrayList<>();
      // Flink lists a vertex's operators from the chain's tail to its head
      for (OperatorIDPair pair : vertex.getOperatorIDs()) {
        claimed.add(pair.getGeneratedOperatorID());
        pair.getUserDefinedOperatorID().ifPresent(claimed::add);
        operators.add(0, pair.getGeneratedOperatorID());
      }
      vertices.put(vertex.getID(), List.copyOf(operators));
    }
    List<RestorePoint.Operator> unclaimed = point.operators().stream().filter(o -> !claimed.contains(o.id())).toList();
    return new RestoreCheck(streamletRef, point, Map.copyOf(uids), Map.copyOf(vertices), unclaimed);
  }

  /** The refusal to start: names each unclaimed operator by its uid and states, and the ways out. */
  UnclaimedStateException refusal(SettingNames names) {
    String prefix = "streamlets." + streamletRef + ".";
    String operators = describe(unclaimed);
    String stateful = uids.values().stream().sorted().map(uid -> "'" + uid + "'").reduce((a, b) -> a + ", " + b)
        .orElse("none");
    String message = "Streamlet '" + streamletRef + "' cannot restore " + point.path() + ": it holds the state of "
        + operators + ", which no operator of the new job has (an operator was removed, or its uid changed; the new "
        + "job's uids: " + stateful + "). Either keep the uid" + (unclaimed.size() > 1 ? "s" : "")
        + " on the operator" + (unclaimed.size() > 1 ? "s" : "") + " that own" + (unclaimed.size() > 1 ? "" : "s")
        + " that state, or start from a savepoint that matches this code with " + names.of(prefix + "restore-from")
        + "=<path> (" + names.of(prefix + "checkpointing.resume-from-newest") + "=false starts without state), or drop that state on "
        + "purpose with " + names.of(prefix + "allow-non-restored-state") + "=true. The restore point is not deleted "
        + "either way: the previous version can still start from it.";
    return new UnclaimedStateException(streamletRef, point.path(),
        unclaimed.stream().map(o -> o.uid() != null ? o.uid() : o.label()).toList(), message);
  }

  /** The warning when unclaimed state is dropped on purpose: what is dropped, and that the point stays. */
  String droppedWarning(SettingNames names) {
    return "Streamlet '" + streamletRef + "' drops state of " + point.path() + " that no operator of the new job "
        + "claims (" + names.of("streamlets." + streamletRef + ".allow-non-restored-state") + "=true): "
        + describe(unclaimed) + ". The restore point stays on disk: the previous version can still start from it with "
        + names.of("streamlets." + streamletRef + ".restore-from") + "=" + point.path();
  }

  /** The uid of an operator of the new job, or of the restore point, or how else to name it. */
  String label(OperatorID id) {
    String uid = uids.get(id);
    if (uid != null) {
      return "'" + uid + "'";
    }
    return point.operator(id).map(RestorePoint.Operator::label).orElse("(no uid, id " + id + ")");
  }

  private static String describe(List<RestorePoint.Operator> operators) {
    List<String> parts = new ArrayList<>();
    for (RestorePoint.Operator operator : operators) {
      String states = operator.stateNames();
      parts.add("operator " + operator.label() + (states.isEmpty() ? "" : " (" + states + ")"));
    }
    return String.join(", ", parts);
  }
}
