package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.StreamletExecution;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stops the application a while after every streamlet's job is running ({@code cloudflow.exit-after}),
 * exiting 0 if they all still run and 1 otherwise. A run like this loads every class a running
 * streamlet needs, which is what a class data sharing training run ({@code -XX:ArchiveClassesAtExit})
 * has to record; Spring's {@code -Dspring.context.exit=onRefresh} stops before any job starts.
 */
public class TimedExit implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger log = LoggerFactory.getLogger(TimedExit.class);

  /** How long the jobs may take to start before the run counts as failed. */
  static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private final StreamletLauncher launcher;
  private final Duration exitAfter;

  /**
   * Creates the exit.
   *
   * @param launcher the launcher whose streamlets must be running
   * @param exitAfter how long to let them run
   */
  public TimedExit(StreamletLauncher launcher, Duration exitAfter) {
    this.launcher = launcher;
    this.exitAfter = exitAfter;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    Thread thread = new Thread(() -> exit(event.getApplicationContext()), "cloudflow-exit-after");
    thread.setDaemon(true);
    thread.start();
  }

  private void exit(ConfigurableApplicationContext context) {
    int code = runningAfterDelay() ? 0 : 1;
    System.exit(SpringApplication.exit(context, () -> code));
  }

  boolean runningAfterDelay() {
    List<StreamletExecution> executions = launcher.executions();
    try {
      CompletableFuture.allOf(executions.stream().map(StreamletExecution::ready).toArray(CompletableFuture[]::new))
          .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      log.info("Streamlets {} are running; stopping in {} (cloudflow.exit-after)", names(executions), delay());
      Thread.sleep(exitAfter.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      log.error("Streamlets {} did not all start (cloudflow.exit-after): {}", names(executions), e.toString());
      return false;
    }
    List<String> notRunning = executions.stream()
        .filter(execution -> !execution.running())
        .map(execution -> execution.streamletRef() + " " + execution.describe())
        .toList();
    if (!notRunning.isEmpty()) {
      log.error("Streamlets no longer running after {} (cloudflow.exit-after): {}", delay(), notRunning);
      return false;
    }
    log.info("Stopping after {} as cloudflow.exit-after says", delay());
    return true;
  }

  private String delay() {
    return exitAfter.toMillis() % 1000 == 0
        ? DurationStyle.SIMPLE.print(exitAfter, ChronoUnit.SECONDS)
        : DurationStyle.SIMPLE.print(exitAfter);
  }

  private static List<String> names(List<StreamletExecution> executions) {
    return executions.stream().map(StreamletExecution::streamletRef).toList();
  }
}
