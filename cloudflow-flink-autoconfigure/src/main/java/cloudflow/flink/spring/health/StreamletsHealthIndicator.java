package cloudflow.flink.spring.health;

import cloudflow.flink.StreamletExecution;
import cloudflow.flink.health.StreamletHealthPolicy;
import cloudflow.flink.health.StreamletHealthPolicy.Verdict;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the streamlet jobs this application runs, with each job's state, and the reason when it is
 * down, as a detail. The judgement is the core's {@link StreamletHealthPolicy}; this only asks it for
 * every job.
 *
 * <p>Two instances serve the two probes: {@link #readiness} is UP only while every job runs with all
 * of its tasks running, settled after a restart and not restart-looping; {@link #liveness} is DOWN once
 * a job FAILED, restart-loops, or has stopped completing checkpoints, so Kubernetes restarts the pod and
 * the job resumes from its last checkpoint.
 */
public final class StreamletsHealthIndicator implements HealthIndicator {

  private final StreamletLauncher launcher;
  private final BiFunction<StreamletExecution, Instant, Verdict> verdict;

  private StreamletsHealthIndicator(StreamletLauncher launcher, BiFunction<StreamletExecution, Instant, Verdict> verdict) {
    this.launcher = launcher;
    this.verdict = verdict;
  }

  /** Readiness with the default thresholds. */
  public static StreamletsHealthIndicator readiness(StreamletLauncher launcher) {
    return readiness(launcher, StreamletHealthPolicy.DEFAULTS);
  }

  /** Liveness with the default thresholds. */
  public static StreamletsHealthIndicator liveness(StreamletLauncher launcher) {
    return liveness(launcher, StreamletHealthPolicy.DEFAULTS);
  }

  /** UP only while every streamlet job is {@linkplain StreamletHealthPolicy#readiness ready}. */
  public static StreamletsHealthIndicator readiness(StreamletLauncher launcher, StreamletHealthPolicy policy) {
    return new StreamletsHealthIndicator(launcher, policy::readiness);
  }

  /** DOWN once a streamlet job is not {@linkplain StreamletHealthPolicy#liveness live}. */
  public static StreamletsHealthIndicator liveness(StreamletLauncher launcher, StreamletHealthPolicy policy) {
    return new StreamletsHealthIndicator(launcher, policy::liveness);
  }

  @Override
  public Health health() {
    List<StreamletExecution> executions = launcher.executions();
    Map<String, Object> jobs = new LinkedHashMap<>();
    boolean up = !executions.isEmpty();
    Instant now = Instant.now();
    for (StreamletExecution execution : executions) {
      Verdict answer = verdict.apply(execution, now);
      jobs.put(execution.streamletRef(), answer.detail());
      up &= answer.up();
    }
    if (executions.isEmpty()) {
      launcher.definitions().forEach(d -> jobs.put(d.streamletRef(), "NOT_SUBMITTED"));
    }
    return (up ? Health.up() : Health.down()).withDetails(jobs).build();
  }
}
