package sensors.streamlets;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.avro.AvroInlet;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import sensors.data.SensorSummary;

/** Logs every sensor summary, alerts at WARN level: the end of the pipeline, where a user sees data. */
@Component("egress")
public class SensorSummaryLogger extends FlinkStreamlet {

  final AvroInlet<SensorSummary> in = AvroInlet.create("in", SensorSummary.class);

  @Override
  public StreamletShape shape() {
    return StreamletShape.createWithInlets(in);
  }

  @Override
  public FlinkStreamletLogic createLogic() {
    return new FlinkStreamletLogic(getContext()) {
      @Override
      public void buildExecutionGraph() {
        readStream(in).sinkTo(new LoggingSink()).uid("summary-log").name("summary-log");
      }
    };
  }

  /** A Flink sink that writes each summary to the log. */
  static final class LoggingSink implements Sink<SensorSummary> {

    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<SensorSummary> createWriter(WriterInitContext context) {
      Logger log = LoggerFactory.getLogger(SensorSummaryLogger.class);
      return new SinkWriter<>() {
        @Override
        public void write(SensorSummary s, Context ctx) {
          String line = String.format("%s count=%d last=%.2f mean=%.2f min=%.2f max=%.2f",
              s.getSensorId(), s.getCount(), s.getLastValue(), s.getMean(), s.getMin(), s.getMax());
          if (s.getAlert()) {
            log.warn("ALERT {}", line);
          } else {
            log.info("{}", line);
          }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
