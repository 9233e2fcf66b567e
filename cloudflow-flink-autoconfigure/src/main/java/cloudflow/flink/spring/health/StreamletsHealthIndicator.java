package cloudflow.flink.spring.health;

import cloudflow.flink.StreamletExecution;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the streamlet jobs this application runs, with each job's status as a detail.
 *
 * <p>Two instances serve the two probes: {@link #readiness} is UP only while every job runs, with all
 * of its tasks running (a job that is starting, restarting, waiting for task slots or stopped
 * processes nothing); {@link #liveness} is DOWN only once a
 * job has FAILED for good, so Kubernetes restarts the pod and the job resumes from its committed
 * offsets, while a job that is merely restarting is left to Flink's restart strategy.
 */
public final class StreamletsHealthIndicator implements HealthIndicator {

  private final StreamletLauncher launcher;
  private final Predicate<StreamletExecution> healthy;

  private StreamletsHealthIndicator(StreamletLauncher launcher, Predicate<StreamletExecution> healthy) {
    this.launcher = launcher;
    this.healthy = healthy;
  }

  /** UP only while every streamlet job {@linkplain StreamletExecution#running() runs}, every task included. */
  public static StreamletsHealthIndicator readiness(StreamletLauncher launcher) {
    return new StreamletsHealthIndicator(launcher, StreamletExecution::running);
  }

  /** DOWN once a streamlet job has FAILED. */
  public static StreamletsHealthIndicator liveness(StreamletLauncher launcher) {
    return new StreamletsHealthIndicator(launcher, execution -> execution.status() != JobStatus.FAILED);
  }

  @Override
  public Health health() {
    List<StreamletExecution> executions = launcher.executions();
    Map<String, Object> jobs = new LinkedHashMap<>();
    boolean up = !executions.isEmpty();
    for (StreamletExecution execution : executions) {
      jobs.put(execution.streamletRef(), execution.describe());
      up &= healthy.test(execution);
    }
    if (executions.isEmpty()) {
      launcher.definitions().forEach(d -> jobs.put(d.streamletRef(), "NOT_SUBMITTED"));
    }
    return (up ? Health.up() : Health.down()).withDetails(jobs).build();
  }
}
