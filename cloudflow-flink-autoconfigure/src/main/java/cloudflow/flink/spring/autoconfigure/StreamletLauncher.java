package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.StreamletExecution;
import cloudflow.flink.plan.StreamletDefinition;
import cloudflow.flink.runtime.StreamletJobs;
import cloudflow.flink.spring.streamlets.StreamletRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * soon as this bean exists, so that this overlaps with the rest of the application's startup.
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
    try {
      for (StreamletDefinition definition : definitions) {
        executions.add(submit(definition));
      }
    } catch (RuntimeException e) {
      // Spring does not stop a lifecycle bean whose start failed: stop the jobs already submitted
      stop();
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
  public synchronized void stop() {
    running = false;
    if (executions.isEmpty()) {
      return;
    }
    CompletableFuture<?>[] stopping = executions.stream().map(StreamletExecution::stop).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(stopping).get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
      log.info("Stopped streamlets {}", executions.stream().map(StreamletExecution::streamletRef).toList());
    } catch (TimeoutException e) {
      log.warn("Streamlets did not stop within {} (cloudflow.shutdown-timeout)", shutdownTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Stopping streamlets failed: {}", e.toString());
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
}
