package cloudflow.flink.spring.testsupport;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.spring.testdata.Reading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A streamlet with a valid shape (inlet {@code in}) whose {@link #createLogic()} throws, so a test can
 * prove that reading shapes builds no logic. Counts the calls to {@code createLogic()}.
 */
public class LogicFailingStreamlet extends FlinkStreamlet {

  /** Message of the exception thrown by {@link #createLogic()}. */
  public static final String MESSAGE = "createLogic() must not be called while shapes are read";

  public final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);

  private final AtomicInteger createLogicCalls = new AtomicInteger();

  @Override
  public StreamletShape shape() {
    return StreamletShape.createWithInlets(in);
  }

  @Override
  public FlinkStreamletLogic createLogic() {
    createLogicCalls.incrementAndGet();
    throw new IllegalStateException(MESSAGE);
  }

  /** How often {@link #createLogic()} was called. */
  public int createLogicCalls() {
    return createLogicCalls.get();
  }
}
