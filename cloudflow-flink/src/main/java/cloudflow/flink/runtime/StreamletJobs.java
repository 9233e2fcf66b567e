package cloudflow.flink.runtime;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.StreamletExecution;
import cloudflow.flink.plan.StreamletDefinition;
import java.time.Duration;
import java.util.List;

/**
 * Runs streamlets as jobs: what a lifecycle (the Spring Boot launcher, a test, an embedding
 * application) needs from {@link StreamletRunner}, and the seam to put something else in its place.
 */
public interface StreamletJobs extends AutoCloseable {

  /**
   * Submits the streamlet's job and returns at once.
   *
   * @throws cloudflow.flink.startup.StreamletStartupException when the streamlet cannot start as configured
   * @throws StreamletSubmissionException when the job cannot be built or submitted
   */
  StreamletExecution run(FlinkStreamlet streamlet, StreamletDefinition definition);

  /**
   * Prepares the streamlet's job ahead of {@link #run} (in the background), if that saves time; what
   * fails is thrown by {@link #run}. By default nothing.
   */
  default void prepare(FlinkStreamlet streamlet, StreamletDefinition definition) {}

  /**
   * The jobs a preparation submitted ahead of {@link #run} that {@link #run} has not handed out (a
   * stop while the application starts), for the caller to stop; waits up to {@code wait} for
   * preparations under way. By default none.
   */
  default List<StreamletExecution> takeSubmittedAhead(Duration wait) {
    return List.of();
  }

  /** Releases what was prepared and not used; by default nothing. */
  @Override
  default void close() {}
}
