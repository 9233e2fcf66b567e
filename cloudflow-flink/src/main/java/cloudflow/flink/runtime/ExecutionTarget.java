package cloudflow.flink.runtime;

import java.util.List;
import java.util.Objects;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a streamlet's job runs, which decides who owns its settings:
 *
 * <ul>
 *   <li>{@link Kind#LOCAL}: a Flink cluster inside this JVM ({@code java -jar}); the application owns
 *       everything, its defaults fill what the user leaves unset;
 *   <li>{@link Kind#REMOTE}: a Flink session cluster reached through its job manager's REST address,
 *       to which the job's jars are shipped; the application still follows and stops the job;
 *   <li>{@link Kind#FLINK_CLUSTER}: the application's main is run by Flink itself (a Flink
 *       application cluster, e.g. under the Flink Kubernetes Operator, or {@code flink run}); the
 *       cluster's configuration and restore choice win, the application only fills what the cluster
 *       leaves unset and leaves stopping the job to whoever deployed it.
 * </ul>
 *
 * @param kind where the job runs
 * @param host the job manager's REST host ({@link Kind#REMOTE} only)
 * @param port the job manager's REST port ({@link Kind#REMOTE} only)
 * @param jars the jars to ship with the job ({@link Kind#REMOTE} only); see {@link JobJars}
 */
public record ExecutionTarget(Kind kind, String host, int port, List<String> jars) {

  /** The three places a job can run. */
  public enum Kind {
    /** A Flink cluster inside this JVM. */
    LOCAL,
    /** A Flink session cluster this process submits to. */
    REMOTE,
    /** Inside a Flink cluster that runs this application's main (application mode, {@code flink run}). */
    FLINK_CLUSTER
  }

  /** Checks and copies the target. */
  public ExecutionTarget {
    Objects.requireNonNull(kind, "kind");
    jars = List.copyOf(jars);
    if (kind == Kind.REMOTE) {
      Objects.requireNonNull(host, "host");
      if (jars.isEmpty()) {
        throw new IllegalArgumentException("A remote job needs the jars of the application's classes");
      }
    }
  }

  /** A Flink cluster in this JVM, one per job. */
  public static ExecutionTarget local() {
    return new ExecutionTarget(Kind.LOCAL, null, 0, List.of());
  }

  /** A Flink session cluster at {@code host:port} (REST), with the jars the job needs. */
  public static ExecutionTarget remote(String host, int port, List<String> jars) {
    return new ExecutionTarget(Kind.REMOTE, host, port, jars);
  }

  /** The Flink cluster that runs this application's main and gave it its execution environment. */
  public static ExecutionTarget flinkCluster() {
    return new ExecutionTarget(Kind.FLINK_CLUSTER, null, 0, List.of());
  }

  /**
   * Whether Flink itself runs this application: its client (application mode's job manager, or
   * {@code flink run}) installs a context environment before calling the main method.
   */
  public static boolean insideFlinkCluster() {
    return StreamExecutionEnvironment.getExecutionEnvironment() instanceof StreamContextEnvironment;
  }

  /** Whether the job runs in this JVM. */
  public boolean isLocal() {
    return kind == Kind.LOCAL;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case LOCAL -> "local";
      case REMOTE -> "remote " + host + ":" + port;
      case FLINK_CLUSTER -> "inside the Flink cluster";
    };
  }
}
