package cloudflow.flink.spring.testsupport;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.spring.testdata.Reading;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroOutlet;

/** An ingress: a single Avro outlet {@code out} and no inlets. */
public class ReadingIngress extends FlinkStreamlet {

  public final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);

  @Override
  public StreamletShape shape() {
    return StreamletShape.createWithOutlets(out);
  }

  @Override
  public FlinkStreamletLogic createLogic() {
    return new FlinkStreamletLogic(getContext()) {
      @Override
      public void buildExecutionGraph() {
        writeStream(out, env().fromData(new Reading("sensor-1", 1L)));
      }
    };
  }
}
