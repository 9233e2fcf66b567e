package cloudflow.flink.spring.testsupport;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.spring.testdata.Reading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;

/** A processor with one Avro inlet {@code in} and one Avro outlet {@code out}, passing readings through. */
public class ReadingProcessor extends FlinkStreamlet {

  public final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);

  public final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);

  @Override
  public StreamletShape shape() {
    return StreamletShape.createWithInlets(in).withOutlets(out);
  }

  @Override
  public FlinkStreamletLogic createLogic() {
    return new FlinkStreamletLogic(getContext()) {
      @Override
      public void buildExecutionGraph() {
        writeStream(out, readStream(in));
      }
    };
  }
}
