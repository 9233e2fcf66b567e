package cloudflow.flink.kafka;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after a dead-lettering inlet's source: decoded records continue as the inlet's stream, bad
 * ones leave through the {@link #DEAD_LETTERS} side output towards the dead-letter sink.
 */
final class DeadLetterSplit<T> extends ProcessFunction<Either<T, DeadLetter>, T> {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(DeadLetterSplit.class);

  /** The side output of the bad records. */
  static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", DeadLetter.TYPE);

  private final String deadLetterTopic;

  /** @param deadLetterTopic where the bad records go, for the log */
  DeadLetterSplit(String deadLetterTopic) {
    this.deadLetterTopic = deadLetterTopic;
  }

  @Override
  public void processElement(Either<T, DeadLetter> element, Context context, Collector<T> out) {
    if (element.isLeft()) {
      out.collect(element.left());
      return;
    }
    DeadLetter bad = element.right();
    log.warn("Dead-lettered bad record at {}-{}@{} to {}: {}",
        bad.topic(), bad.partition(), bad.offset(), deadLetterTopic, bad.reason());
    context.output(DEAD_LETTERS, bad);
  }
}
