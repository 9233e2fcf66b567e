package cloudflow.flink.benchmarks;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.benchmarks.data.BenchRecord;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;

/** The streamlet under test: Avro in, the same Avro out, keyed by the record's key. */
public final class PassThroughStreamlet extends FlinkStreamlet {

  final AvroInlet<BenchRecord> in = AvroInlet.create("in", BenchRecord.class);
  final AvroOutlet<BenchRecord> out = AvroOutlet.create("out", BenchRecord::getKey, BenchRecord.class);

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
