package cloudflow.flink.spring.test.app;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.spring.test.data.Reading;
import cloudflow.flink.spring.test.data.proto.Count;
import cloudflow.flink.spring.test.data.proto.Total;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.LongConfigParameter;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import cloudflow.streamlets.proto.javadsl.ProtoInlet;
import cloudflow.streamlets.proto.javadsl.ProtoOutlet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An application of three streamlets: {@code doubler} multiplies readings by its {@code factor} config
 * parameter, {@code printer} consumes them, {@code totals} adds up Protobuf counts per name. With
 * several streamlets, one only runs when chosen.
 */
@SpringBootApplication
public class TestStreamletApplication {

  @Bean
  Doubler doubler() {
    return new Doubler();
  }

  @Bean
  Printer printer() {
    return new Printer();
  }

  @Bean
  Totals totals() {
    return new Totals();
  }

  /** Adds up Protobuf counts per name (keyed state of Protobuf messages), keyed by name. */
  public static class Totals extends FlinkStreamlet {

    public final ProtoInlet<Count> in = ProtoInlet.create("in", Count.class);
    public final ProtoOutlet<Total> out = ProtoOutlet.create("out", Total::getName, Total.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          TypeInformation<Total> totalType = FlinkStreamletContext.typeInfoOf(Total.class);
          writeStream(out, readStream(in)
              .map(c -> Total.newBuilder().setName(c.getName()).setAmount(c.getAmount()).setCounts(1).build(), totalType)
              .keyBy(Total::getName)
              .reduce((a, b) -> Total.newBuilder(b).setAmount(a.getAmount() + b.getAmount())
                  .setCounts(a.getCounts() + b.getCounts()).build()));
        }
      };
    }
  }

  /** Multiplies each reading's value by {@code factor} (default 2), keyed by id. */
  public static class Doubler extends FlinkStreamlet {

    public final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);
    public final AvroOutlet<Reading> out = AvroOutlet.create("out", Reading::getId, Reading.class);
    final LongConfigParameter factor =
        LongConfigParameter.create("factor", "What values are multiplied by").withDefaultValue(2L);

    @Override
    public ConfigParameter<?>[] defineConfigParams() {
      return new ConfigParameter<?>[] {factor};
    }

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          long times = factor.getValue(getContext());
          writeStream(out, readStream(in)
              .map(r -> new Reading(r.getId(), r.getValue() * times))
              .returns(FlinkStreamletContext.typeInfoOf(Reading.class)));
        }
      };
    }
  }

  /** Reads readings and drops them. */
  public static class Printer extends FlinkStreamlet {

    public final AvroInlet<Reading> in = AvroInlet.create("in", Reading.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          readStream(in).sinkTo(new DiscardingSink<>());
        }
      };
    }
  }
}
