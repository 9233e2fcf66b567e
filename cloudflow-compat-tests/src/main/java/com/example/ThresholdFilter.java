package com.example;

import java.time.Duration;
import java.util.Optional;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.api.common.typeinfo.TypeHint;
import cloudflow.streamlets.*;
import cloudflow.streamlets.avro.*;
import cloudflow.flink.*;

/**
 * A streamlet in the style of Cloudflow's Java documentation, using the rest of its Java DSL:
 * config parameters declared with {@code defineConfigParameters()} (HOCON-string defaults for the
 * duration and the memory size), an inlet with an error handler, and an anonymous logic whose
 * lambdas call its own methods.
 */
public class ThresholdFilter extends FlinkStreamlet {

  // Records that cannot be decoded become a marker record instead of being skipped.
  AvroInlet<Data> in = AvroInlet.<Data>create("in", Data.class, false,
      (byte[] bytes, Throwable cause) -> Optional.of(new Data(-1, "undecodable")));
  AvroOutlet<Data> out = AvroOutlet.<Data>create("out", (Data d) -> Integer.toString(d.getId()), Data.class);

  IntegerConfigParameter threshold = IntegerConfigParameter.create("threshold", "Smallest id passed on");
  StringConfigParameter prefix =
      StringConfigParameter.create("prefix", "Prepended to the names passed on").withDefaultValue("");
  DurationConfigParameter window =
      DurationConfigParameter.create("window", "How far back to look").withDefaultValue("5 minutes");
  MemorySizeConfigParameter buffer =
      MemorySizeConfigParameter.create("buffer", "How much to buffer").withDefaultValue("512M");

  @Override public StreamletShape shape() {
    return StreamletShape.empty().withInlets(in).withOutlets(out);
  }

  @Override public ConfigParameter[] defineConfigParameters() {
    return new ConfigParameter[] {threshold, prefix, window, buffer};
  }

  @Override public FlinkStreamletLogic createLogic() {
    return new FlinkStreamletLogic(getContext()) {
      final int minimum = threshold.getValue(getContext());
      final String namePrefix = prefix.getValue(getContext());
      final Duration lookBack = window.getValue(getContext());
      // ConfigMemorySize is not serializable (it was not in Cloudflow either): keep the bytes
      final long bufferBytes = buffer.getValue(getContext()).toBytes();

      boolean accept(Data d) {
        return d.getId() >= minimum;
      }

      Data rename(Data d) {
        return new Data(d.getId(), namePrefix + d.getName() + "@" + streamletRef()
            + "/" + lookBack.toMinutes() + "m/" + bufferBytes / (1024 * 1024) + "M");
      }

      @Override public void buildExecutionGraph() {
        DataStream<Data> accepted = this.<Data>readStream(in, Data.class)
            .filter((Data d) -> accept(d))
            .map((Data d) -> rename(d))
            .returns(new TypeHint<Data>(){}.getTypeInfo());
        writeStream(out, accepted, Data.class);
      }
    };
  }
}
