package cloudflow.flink;

import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;

/**
 * A running streamlet: the handle the runtime returns after submitting its Flink job.
 */
public interface StreamletExecution {

  /** The name of the streamlet in the application. */
  String streamletRef();

  /** The job's status as last seen. */
  JobStatus status();

  /** Completes when the job is running for the first time; fails if it ends before that. */
  CompletableFuture<Void> ready();

  /** Completes when the job has ended: normally, or exceptionally when it failed. */
  CompletableFuture<Void> completed();

  /** Stops the job and completes when it has ended. Calling it again returns the same future. */
  CompletableFuture<Void> stop();
}
