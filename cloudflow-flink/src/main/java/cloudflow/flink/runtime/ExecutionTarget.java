package cloudflow.flink.runtime;

import java.util.List;
import java.util.Objects;

/**
 * Where a streamlet's job runs: a Flink cluster inside this JVM ({@link #local()}), or a Flink
 * session cluster reached through its job manager's REST address, to which the job's jars are
 * shipped ({@link #remote}).
 *
 * @param host the job manager's REST host, or {@code null} for local
 * @param port the job manager's REST port
 * @param jars the jars to ship with the job (remote only); see {@link JobJars}
 */
public record ExecutionTarget(String host, int port, List<String> jars) {

  /** Copies the jar list. */
  public ExecutionTarget {
    jars = List.copyOf(jars);
  }

  /** A Flink cluster in this JVM, one per job. */
  public static ExecutionTarget local() {
    return new ExecutionTarget(null, 0, List.of());
  }

  /** A Flink session cluster at {@code host:port} (REST), with the jars the job needs. */
  public static ExecutionTarget remote(String host, int port, List<String> jars) {
    Objects.requireNonNull(host, "host");
    if (jars.isEmpty()) {
      throw new IllegalArgumentException("A remote job needs the jars of the application's classes");
    }
    return new ExecutionTarget(host, port, jars);
  }

  /** Whether the job runs in this JVM. */
  public boolean isLocal() {
    return host == null;
  }

  @Override
  public String toString() {
    return isLocal() ? "local" : "remote " + host + ":" + port;
  }
}
