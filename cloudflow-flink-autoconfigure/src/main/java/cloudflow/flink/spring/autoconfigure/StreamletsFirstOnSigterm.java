package cloudflow.flink.spring.autoconfigure;

import cloudflow.flink.runtime.StreamletJobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Stops the streamlets (with a savepoint) on SIGTERM before the JVM's shutdown hooks run.
 *
 * <p>On SIGTERM the JVM starts every shutdown hook at once: Spring's, which stops the streamlets,
 * and those a local Flink cluster registers for its own parts (the I/O manager's file channels, the
 * blob server and caches, see Flink's {@code ShutdownHookUtil}). Those tear the cluster down under a
 * job whose tasks still initialize; the tasks fail, and the stop with savepoint that waits for them
 * finds nothing to stop. Flink offers no setting to leave its hooks out, so this handler goes first:
 * it takes SIGTERM, stops the streamlets as a context close would (bounded by
 * {@code cloudflow.shutdown-timeout}), then exits with the status the JVM gives a SIGTERM (143),
 * which runs the shutdown hooks as before, Spring's finding its streamlets already stopped. It also
 * shuts the local clusters down first, so Flink's last log lines come before logging stops.
 *
 * <p>Only for streamlets in a local Flink cluster; from the moment this bean exists, since jobs are
 * submitted ahead while the context still starts (see {@code StreamletRunner.prepare}), until the
 * context closes (its previous handler is put back then, or when a failed start destroys the bean).
 */
final class StreamletsFirstOnSigterm implements SmartLifecycle, InitializingBean, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(StreamletsFirstOnSigterm.class);
  private static final Signal TERM = new Signal("TERM");

  private final StreamletLauncher launcher;
  private final StreamletJobs runner;
  private volatile SignalHandler previous;

  StreamletsFirstOnSigterm(StreamletLauncher launcher, StreamletJobs runner) {
    this.launcher = launcher;
    this.runner = runner;
  }

  @Override
  public void afterPropertiesSet() {
    start();
  }

  @Override
  public synchronized void start() {
    if (previous != null) {
      return;
    }
    try {
      previous = Signal.handle(TERM, this::onSigterm);
    } catch (IllegalArgumentException e) {
      // the JVM keeps SIGTERM (-Xrs) or the platform has none: the shutdown hooks alone then
      log.debug("Cannot handle SIGTERM, streamlets stop in the shutdown hooks: {}", e.toString());
    }
  }

  private void onSigterm(Signal signal) {
    log.info("SIGTERM: stopping the streamlets before the JVM's shutdown hooks run");
    try {
      launcher.stop();
    } catch (RuntimeException e) {
      log.warn("Stopping the streamlets failed: {}", e.toString());
    }
    // the local clusters too, which takes Flink's hooks off the JVM's list: nothing of Flink's runs or
    // logs concurrently with Spring's shutdown (or after logging stopped) any more
    try {
      runner.close();
    } catch (Exception e) {
      log.warn("Shutting down the local Flink clusters failed: {}", e.toString());
    }
    // whatever failed above: a SIGTERM always ends the process, else the pod waits for its SIGKILL
    System.exit(128 + signal.getNumber());
  }

  @Override
  public synchronized void stop() {
    if (previous != null) {
      Signal.handle(TERM, previous);
      previous = null;
    }
  }

  @Override
  public void destroy() {
    stop();
  }

  @Override
  public boolean isRunning() {
    return previous != null;
  }
}
