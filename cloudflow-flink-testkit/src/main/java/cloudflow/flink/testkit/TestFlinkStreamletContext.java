package cloudflow.flink.testkit;

import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Cloudflow's shared result of testkit runs, kept so that a Cloudflow test runs with an import
 * change at most: {@link #result()} holds the {@code toString()} of every record written to a
 * tapped outlet by the last run, in the order the outlet taps list them.
 *
 * <pre>{@code
 * testkit.run(streamlet, Collections.singletonList(in), Collections.singletonList(out), env);
 * assertTrue(TestFlinkStreamletContext.result().contains(new Data(2, "name2").toString()));
 * }</pre>
 *
 * <p>As in Cloudflow, the queue is one per JVM and each run empties it first, so tests that use it
 * must not run in parallel. The typed records of the tap itself ({@code out.records()},
 * {@code out.keyedRecords()}) belong to one run and are the better choice.
 *
 * @deprecated a compatibility shim for Cloudflow tests; read {@link FlinkOutletTap#records()} instead
 */
@Deprecated
public final class TestFlinkStreamletContext {

  private static final ConcurrentLinkedQueue<String> RESULT = new ConcurrentLinkedQueue<>();

  private TestFlinkStreamletContext() {}

  /**
   * The {@code toString()} lines of the records the last run wrote to its tapped outlets.
   *
   * @deprecated read {@link FlinkOutletTap#records()} instead
   */
  @Deprecated
  public static ConcurrentLinkedQueue<String> result() {
    return RESULT;
  }

  /** Empties the queue when a run starts, as Cloudflow did when it created a run's context. */
  static void startRun() {
    RESULT.clear();
  }

  /** Adds the records of a finished run's outlet. */
  static void add(Collection<?> records) {
    records.forEach(record -> RESULT.add(String.valueOf(record)));
  }
}
