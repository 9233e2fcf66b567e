package cloudflow.flink.spring.testsupport;

import cloudflow.flink.StreamletExecution;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;

/** A {@link StreamletExecution} with no Flink job behind it: RUNNING until stopped. */
public final class StubExecution implements StreamletExecution {

  private final String streamletRef;
  private final CompletableFuture<Void> completed = new CompletableFuture<>();
  private volatile JobStatus status = JobStatus.RUNNING;

  public StubExecution(String streamletRef) {
    this.streamletRef = streamletRef;
  }

  @Override
  public String streamletRef() {
    return streamletRef;
  }

  @Override
  public JobStatus status() {
    return status;
  }

  @Override
  public CompletableFuture<Void> ready() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> completed() {
    return completed;
  }

  @Override
  public synchronized CompletableFuture<Void> stop() {
    status = JobStatus.FINISHED;
    completed.complete(null);
    return completed;
  }
}
