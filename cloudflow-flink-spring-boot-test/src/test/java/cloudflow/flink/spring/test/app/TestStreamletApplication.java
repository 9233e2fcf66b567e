package cloudflow.flink.spring.test.app;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.spring.test.data.Reading;
import cloudflow.streamlets.ConfigParameter;
import cloudflow.streamlets.LongConfigParameter;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import cloudflow.streamlets.avro.AvroOutlet;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An application of two streamlets: {@code doubler} multiplies readings by its {@code factor} config
 * parameter, {@code printer} consumes them. With two streamlets, one only runs when chosen.
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
