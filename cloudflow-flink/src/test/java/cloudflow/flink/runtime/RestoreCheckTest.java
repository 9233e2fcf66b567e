package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.plan.SettingNames;
import cloudflow.flink.startup.IncompatibleStateException;
import cloudflow.flink.startup.StreamletStartupException;
import cloudflow.flink.startup.UnclaimedStateException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.BackendBuildingException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamingJobGraphGenerator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.FlinkException;
import org.apache.flink.util.SerializedThrowable;
import org.apache.flink.util.StateMigrationException;
import org.junit.jupiter.api.Test;

/** How {@link RestoreCheck} and {@link StateRestoreFailure} compare a restore point with a new job graph. */
class RestoreCheckTest {

  private static final SettingNames PROPERTIES = path -> "cloudflow." + path;

  @Test
  void operatorIdsOfUidsAreTheOnesTheJobGraphRestoresBy() {
    StreamGraph graph = graph("running-stats");
    JobGraph jobGraph = graph.getJobGraph(getClass().getClassLoader(), null);
    Set<OperatorID> ids = new HashSet<>();
    for (JobVertex vertex : jobGraph.getVertices()) {
      vertex.getOperatorIDs().forEach(pair -> ids.add(pair.getGeneratedOperatorID()));
    }

    RestoreCheck check = RestoreCheck.of("processor", point("running-stats"), graph, jobGraph);

    assertThat(ids).containsAll(check.uids().keySet());
    assertThat(check.uids()).containsValue("running-stats");
    assertThat(check.unclaimed()).isEmpty();
  }

  @Test
  void stateOfAnOperatorWhoseUidChangedIsUnclaimedAndTheRefusalNamesItsUidStateAndTheWaysOut() {
    StreamGraph graph = graph("running-stats-v2");

    RestoreCheck check = RestoreCheck.of("processor", point("running-stats"), graph,
        graph.getJobGraph(getClass().getClassLoader(), null));
    UnclaimedStateException refusal = check.refusal(PROPERTIES);

    assertThat(check.unclaimed()).extracting(RestorePoint.Operator::uid).containsExactly("running-stats");
    assertThat(refusal.operators()).containsExactly("running-stats");
    assertThat(refusal.fix()).isEqualTo(StreamletStartupException.Fix.RESTORE_POINT);
    assertThat(refusal.getMessage())
        .contains("Streamlet 'processor' cannot restore file:/sp/savepoint-1")
        .contains("operator 'running-stats' (keyed state 'total')")
        .contains("'running-stats-v2'")
        .contains("cloudflow.streamlets.processor.restore-from=<path>")
        .contains("cloudflow.streamlets.processor.allow-non-restored-state=true");
    assertThat(check.droppedWarning(PROPERTIES)).contains("drops state of file:/sp/savepoint-1")
        .contains("operator 'running-stats' (keyed state 'total')");
  }

  @Test
  void aStateBackendThatCannotReadTheRestoredStateIsAnIncompatibleStateNamingUidAndState() {
    StreamGraph graph = graph("running-stats");
    RestoreCheck check = RestoreCheck.of("processor", point("running-stats"), graph,
        graph.getJobGraph(getClass().getClassLoader(), null));
    OperatorID id = StreamingJobGraphGenerator.generateOperatorID("running-stats");
    // as a task manager reports it: Flink's own exceptions, serialized
    Throwable failure = new SerializedThrowable(new FlinkException("Exception while creating StreamOperatorStateContext.",
        new FlinkException("Could not restore keyed state backend for KeyedProcessOperator_" + id + "_(1/1) from any of "
            + "the 1 provided restore options.", new BackendBuildingException("Failed when trying to restore heap backend",
            new IllegalStateException("Found long, expecting string")))));

    Optional<IncompatibleStateException> typed = StateRestoreFailure.classify(check, null, failure, PROPERTIES);

    assertThat(typed).hasValueSatisfying(e -> {
      assertThat(e.operator()).isEqualTo("running-stats");
      assertThat(e.states()).containsExactly("total");
      assertThat(e.getMessage())
          .contains("Streamlet 'processor' cannot restore the state of operator 'running-stats' (keyed state 'total') "
              + "from file:/sp/savepoint-1")
          .contains("IllegalStateException: Found long, expecting string")
          .contains("cloudflow.streamlets.processor.restore-from=<path>");
    });
    assertThat(StateRestoreFailure.classify(check, null,
        new SerializedThrowable(new StateMigrationException("incompatible")), PROPERTIES)).isPresent();
  }

  @Test
  void otherFailuresAndRestoresThatFailedOnIoAreLeftToTheRestartStrategy() {
    StreamGraph graph = graph("running-stats");
    RestoreCheck check = RestoreCheck.of("processor", point("running-stats"), graph,
        graph.getJobGraph(getClass().getClassLoader(), null));

    assertThat(StateRestoreFailure.classify(check, null,
        new SerializedThrowable(new RuntimeException("bad record")), PROPERTIES)).isEmpty();
    assertThat(StateRestoreFailure.classify(check, null, new SerializedThrowable(new BackendBuildingException(
        "Failed when trying to restore heap backend", new java.io.FileNotFoundException("chk-3/abc"))), PROPERTIES))
        .isEmpty();
  }

  private static RestorePoint point(String uid) {
    return new RestorePoint("file:/sp/savepoint-1", List.of(new RestorePoint.Operator(
        StreamingJobGraphGenerator.generateOperatorID(uid), uid, "count", new TreeSet<>(Set.of("total")), new TreeSet<>())));
  }

  /** A source, and a keyed counter with the uid. */
  private static StreamGraph graph(String uid) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromData(1L, 2L, 3L).uid("source").keyBy(v -> v % 2).process(new Count()).uid(uid).print();
    return env.getStreamGraph();
  }

  private static final class Count extends KeyedProcessFunction<Long, Long, Long> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> total;

    @Override
    public void open(OpenContext openContext) {
      total = getRuntimeContext().getState(new ValueStateDescriptor<>("total", Long.class));
    }

    @Override
    public void processElement(Long value, Context ctx, Collector<Long> out) throws Exception {
      total.update(total.value() == null ? value : total.value() + value);
      out.collect(total.value());
    }
  }
}
