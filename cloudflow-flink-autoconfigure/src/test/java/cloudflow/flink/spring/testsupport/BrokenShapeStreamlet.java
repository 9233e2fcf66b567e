package cloudflow.flink.spring.testsupport;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.spring.testdata.Reading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;

/** A streamlet whose {@link #shape()} throws: its inlet name breaks the port naming rules. */
public class BrokenShapeStreamlet extends FlinkStreamlet {

  /** The invalid port name declared by {@link #shape()}. */
  public static final String BAD_PORT = "Bad_Port";

  @Override
  public StreamletShape shape() {
    return StreamletShape.createWithInlets(AvroInlet.create(BAD_PORT, Reading.class));
  }

  @Override
  public FlinkStreamletLogic createLogic() {
    throw new IllegalStateException("createLogic() must not be called");
  }
}
