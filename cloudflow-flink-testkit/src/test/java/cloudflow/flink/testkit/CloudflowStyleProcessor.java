package cloudflow.flink.testkit;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testkit.data.Data;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A streamlet written as Cloudflow's Java documentation writes one ("Building a Flink streamlet"),
 * kept unchanged to show that such code compiles and runs here.
 */
public class CloudflowStyleProcessor extends FlinkStreamlet {
  // Step 1: Define inlets and outlets. Note for the outlet you need to specify
  //         the partitioner function explicitly
  AvroInlet<Data> in = AvroInlet.<Data>create("in", Data.class);
  AvroOutlet<Data> out = AvroOutlet.<Data>create("out", (Data d) -> d.getId(), Data.class);

  // Step 2: Define the shape of the streamlet. In this example the streamlet
  //         has 1 inlet and 1 outlet
  @Override public StreamletShape shape() {
    return StreamletShape.createWithInlets(in).withOutlets(out);
  }

  // Step 3: Provide custom implementation of `FlinkStreamletLogic` that defines
  //         the behavior of the streamlet
  @Override public FlinkStreamletLogic createLogic() {
    return new FlinkStreamletLogic(getContext()) {
      @Override public void buildExecutionGraph() {
        DataStream<Data> ins =
          this.<Data>readStream(in, Data.class)
            .map((Data d) -> new Data(d.getId(), d.getName().toUpperCase()))
            .returns(new TypeHint<Data>(){}.getTypeInfo());

        writeStream(out, ins, Data.class);
      }
    };
  }
}
