package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.StreamletControlException;
import cloudflow.flink.StreamletExecution;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.runtime.StreamletJobs;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the selected streamlets for as long as the application context is up: submits their Flink jobs
 * when the context starts (without blocking, so startup completes and probes answer) and stops them
 * when it closes. Their jobs are prepared earlier (topics, settings, local Flink cluster, graph), as
 * soon as this bean exists, so that this overlaps with the rest of the application's startup; a job
 * for a local cluster is even submitted then, and the context's start only takes it over. Stopped
 * before the context started (SIGTERM during startup), it stops those jobs with a savepoint too.
 *
 * <p>While the context is up, an operator can take a savepoint of a streamlet, suspend it (stop its
 * job with a savepoint, the process stays), resume it and restart it ({@link #savepoint},
 * {@link #suspend}, {@link #resume}, {@link #restart}; the {@code streamlets} actuator endpoint calls
 * them). A resumed or restarted job is submitted the way the first one was, and restores from the
 * newest checkpoint or savepoint in the streamlet's directory. Each waits at most
 * {@code cloudflow.shutdown-timeout} for Flink; a request that does not fit the streamlet's state
 * fails with a {@link StreamletControlException}.
 */
public class StreamletLauncher implements SmartLifecycle, InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(StreamletLauncher.class);

  private final StreamletRegistry registry;
  private final List<StreamletDefinition> definitions;
  private final StreamletJobs runner;
  private final Duration shutdownTimeout;
  // read by health checks while start() submits: never block them behind a slow (remote) submission
  private final List<StreamletExecution> executions = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  /** Stopped before the context started (SIGTERM during startup): the context's start then submits nothing. */
  private boolean stoppedWhileStarting;

  /**
   * Creates a launcher.
   *
   * @param registry the application's streamlets
   * @param definitions the streamlets to run, with their topics
   * @param runner submits each streamlet's job
   * @param shutdownTimeout how long to wait for the jobs to stop on close
   */
  public StreamletLauncher(
      StreamletRegistry registry, List<StreamletDefinition> definitions, StreamletJobs runner, Duration shutdownTimeout) {
    this.registry = registry;
    this.definitions = List.copyOf(definitions);
    this.runner = runner;
    this.shutdownTimeout = shutdownTimeout;
  }

  /** Prepares the streamlets' jobs and local Flink clusters in the background ({@link StreamletJobs#prepare}). */
  @Override
  public void afterPropertiesSet() {
    definitions.forEach(definition -> runner.prepare(registry.streamlet(definition.streamletRef()), definition));
  }

  @Override
  public synchronized void start() {
    if (stoppedWhileStarting) {
      log.info("Not starting streamlets: they were stopped while the application started");
      return;
    }
    try {
      for (StreamletDefinition definition : definitions) {
        executions.add(submit(definition));
      }
    } catch (RuntimeException e) {
      // Spring does not stop a lifecycle bean whose start failed: stop the jobs already submitted, without
      // waiting for preparations still under way (their clusters go when the runner closes)
      stopAll(Duration.ZERO);
      executions.clear();
      throw e;
    }
    running = true;
  }

  private StreamletExecution submit(StreamletDefinition definition) {
    // a StreamletStartupException goes up as it is: StreamletStartupFailureAnalyzer says what fixes it
    return runner.run(registry.streamlet(definition.streamletRef()), definition);
  }

  @Override
  public void stop() {
    // before the lock, which a suspend, resume or restart holds while it waits for a job: the action
    // sees it and submits no new job that this stop would then have to stop too
    running = false;
    synchronized (this) {
      // stopped while the context starts (a SIGTERM during startup): all its jobs are submitted ahead, and
      // those still being prepared are waited for a while
      stoppedWhileStarting = executions.isEmpty();
      stopAll(stoppedWhileStarting ? shutdownTimeout.dividedBy(2) : Duration.ZERO);
    }
  }

  /** Stops the jobs start() submitted and those submitted ahead that it has not taken. */
  private void stopAll(Duration waitForPreparations) {
    running = false;
    List<StreamletExecution> toStop = new ArrayList<>(executions);
    if (!definitions.isEmpty()) {
      toStop.addAll(runner.takeSubmittedAhead(waitForPreparations));
    }
    if (toStop.isEmpty()) {
      return;
    }
    CompletableFuture<?>[] stopping = toStop.stream().map(StreamletLauncher::stopOne).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(stopping).get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
      log.info("Stopped streamlets {}", toStop.stream().map(StreamletExecution::streamletRef).toList());
    } catch (TimeoutException e) {
      log.warn("Streamlets did not stop within {} (cloudflow.shutdown-timeout)", shutdownTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Stopping streamlets failed: {}", e.toString());
    }
  }

  /** Asks one streamlet to stop; one whose stop throws is logged and does not keep the others running. */
  private static CompletableFuture<Void> stopOne(StreamletExecution execution) {
    try {
      return execution.stop();
    } catch (RuntimeException e) {
      log.warn("Stopping streamlet '{}' failed: {}", execution.streamletRef(), e.toString());
      return CompletableFuture.completedFuture(null);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** The streamlets this launcher runs (empty before the context has started). */
  public List<StreamletExecution> executions() {
    return List.copyOf(executions);
  }

  /** The definitions of the streamlets this launcher runs. */
  public List<StreamletDefinition> definitions() {
    return definitions;
  }

  /**
   * The streamlet's job as it is now (running, ended or suspended).
   *
   * @throws StreamletControlException.UnknownStreamlet when this process does not run a streamlet of that name
   * @throws StreamletControlException.Conflict before the jobs are submitted
   */
  public StreamletExecution execution(String name) {
    for (StreamletExecution execution : executions) {
      if (execution.streamletRef().equals(name)) {
        return execution;
      }
    }
    if (definitions.stream().anyMatch(d -> d.streamletRef().equals(name))) {
      throw new StreamletControlException.Conflict("Streamlet '" + name + "' is not submitted yet: the application is starting");
    }
    throw new StreamletControlException.UnknownStreamlet("This process runs no streamlet '" + name + "'; it runs "
        + definitions.stream().map(StreamletDefinition::streamletRef).toList());
  }

  /**
   * Takes a savepoint of the streamlet's running job now.
   *
   * @return the savepoint's path
   */
  public String savepoint(String name) {
    return await(execution(name).savepoint(), name, "the savepoint");
  }

  /**
   * Stops the streamlet's job with a savepoint and keeps it stopped until {@link #resume}; the
   * process stays up, with readiness DOWN. Suspending a suspended streamlet does nothing.
   *
   * @return the suspended streamlet
   */
  public synchronized StreamletExecution suspend(String name) {
    StreamletExecution execution = controllable(name);
    if (execution instanceof SuspendedExecution) {
      return execution;
    }
    if (execution.completed().isDone()) {
      throw new StreamletControlException.Conflict("Streamlet '" + name + "' is " + execution.describe()
          + ": there is no job to suspend; restart it instead");
    }
    log.info("Suspending streamlet '{}'", name);
    await(execution.stop(), name, "stopping its job with a savepoint");
    StreamletExecution suspended = new SuspendedExecution(execution);
    replace(execution, suspended);
    log.info("Streamlet '{}' is suspended: {}", name, suspended.describe());
    return suspended;
  }

  /**
   * Submits the job of a suspended streamlet again; it resumes from the newest checkpoint or
   * savepoint. Resuming a streamlet whose job runs (or is starting) does nothing.
   *
   * @return the resumed streamlet
   */
  public synchronized StreamletExecution resume(String name) {
    StreamletExecution execution = controllable(name);
    if (!(execution instanceof SuspendedExecution)) {
      if (!execution.completed().isDone()) {
        return execution;
      }
      throw new StreamletControlException.Conflict("Streamlet '" + name + "' is " + execution.describe()
          + ", not suspended: restart it instead");
    }
    log.info("Resuming streamlet '{}'", name);
    return resubmit(name, execution);
  }

  /**
   * Stops the streamlet's job with a savepoint (if it runs) and submits it again; it resumes from the
   * newest checkpoint or savepoint. Works in every state: running, failed, suspended.
   *
   * @return the restarted streamlet
   */
  public synchronized StreamletExecution restart(String name) {
    StreamletExecution execution = controllable(name);
    log.info("Restarting streamlet '{}' ({})", name, execution.describe());
    if (!execution.completed().isDone()) {
      await(execution.stop(), name, "stopping its job with a savepoint");
    }
    return resubmit(name, execution);
  }

  /** The streamlet's execution, if this process may stop and submit its job. */
  private StreamletExecution controllable(String name) {
    StreamletExecution execution = execution(name);
    refuseWhileStopping(name, "stops with it");
    if (execution.setup().map(setup -> "application".equals(setup.mode())).orElse(false)) {
      throw new StreamletControlException.Conflict("Streamlet '" + name + "' runs inside the Flink cluster that runs this "
          + "application: whoever deployed it suspends, resumes and restarts its job (the Flink Kubernetes Operator: "
          + "the FlinkDeployment's job.state and restartNonce); savepoints can be taken here");
    }
    return execution;
  }

  /** Refuses an action once the application stops; {@code outcome} says what becomes of the streamlet. */
  private void refuseWhileStopping(String name, String outcome) {
    if (!running) {
      throw new StreamletControlException.Conflict("The application is stopping: streamlet '" + name + "' " + outcome);
    }
  }

  private StreamletExecution resubmit(String name, StreamletExecution previous) {
    // checked again: a stop may have come while the action waited for the previous job
    refuseWhileStopping(name, "is not submitted again; it stays " + previous.describe());
    StreamletDefinition definition = definitions.stream().filter(d -> d.streamletRef().equals(name)).findFirst().orElseThrow();
    // the same restore path as a process restart: the newest checkpoint or savepoint, not the first run's restore-from
    StreamletExecution next;
    try {
      next = runner.run(registry.streamlet(name), definition.withRestore(definition.restore().forResume()));
    } catch (RuntimeException e) {
      throw new StreamletControlException.Failed("Streamlet '" + name + "' could not be submitted again (" + e.getMessage()
          + "); it stays " + previous.status() + ", see the log", e);
    }
    replace(previous, next);
    return next;
  }

  private void replace(StreamletExecution previous, StreamletExecution next) {
    executions.set(executions.indexOf(previous), next);
  }

  private <T> T await(CompletableFuture<T> future, String name, String what) {
    try {
      return future.get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StreamletControlException control) {
        throw control;
      }
      throw new StreamletControlException.Failed("Streamlet '" + name + "': " + what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new StreamletControlException.Failed("Streamlet '" + name + "': " + what + " did not complete within "
          + shutdownTimeout + " (cloudflow.shutdown-timeout); its state is now " + execution(name).describe(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamletControlException.Failed("Streamlet '" + name + "': interrupted while waiting for " + what, e);
    }
  }
}
