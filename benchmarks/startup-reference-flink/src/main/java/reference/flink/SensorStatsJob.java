package reference.flink;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.AvroDeserializationSchema;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * The job of the sample's {@code processor} streamlet built with the plain Flink API: readings from
 * Kafka, running statistics per sensor in keyed state, summaries back to Kafka, with the Kafka client
 * settings and checkpoint interval the starter uses, so that only the framework differs.
 */
final class SensorStatsJob {

  static final String READINGS_TOPIC = "sensor-readings";
  static final String SUMMARIES_TOPIC = "sensor-summaries";

  private SensorStatsJob() {}

  static JobGraph jobGraph(String bootstrapServers, double alertThreshold) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(10_000);

    KafkaSource<SensorReading> readings = KafkaSource.<SensorReading>builder()
        .setBootstrapServers(bootstrapServers)
        .setTopics(READINGS_TOPIC)
        .setGroupId("processor")
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setValueOnlyDeserializer(AvroDeserializationSchema.forSpecific(SensorReading.class))
        .setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000")
        .build();
    KafkaSink<SensorSummary> summaries = KafkaSink.<SensorSummary>builder()
        .setBootstrapServers(bootstrapServers)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setRecordSerializer(KafkaRecordSerializationSchema.<SensorSummary>builder()
            .setTopic(SUMMARIES_TOPIC)
            // keyed by sensor, so that a sensor's summaries stay in order in one partition
            .setKeySerializationSchema(summary -> summary.getSensorId().getBytes(StandardCharsets.UTF_8))
            .setValueSerializationSchema(AvroSerializationSchema.forSpecific(SensorSummary.class))
            .build())
        .setProperty(ProducerConfig.LINGER_MS_CONFIG, "10")
        .setProperty(ProducerConfig.BATCH_SIZE_CONFIG, "65536")
        .build();

    env.fromSource(readings, WatermarkStrategy.noWatermarks(), READINGS_TOPIC)
        .keyBy(SensorReading::getSensorId)
        .process(new RunningStats(alertThreshold), new AvroTypeInfo<>(SensorSummary.class))
        .uid("running-stats")
        .name("running-stats")
        .sinkTo(summaries)
        .name(SUMMARIES_TOPIC);
    return env.getStreamGraph().getJobGraph();
  }

  /** Folds each reading into the sensor's summary held in keyed state (the sample's, copied). */
  static final class RunningStats extends KeyedProcessFunction<String, SensorReading, SensorSummary> {

    private static final long serialVersionUID = 1L;

    private final double alertThreshold;
    private transient ValueState<SensorSummary> summary;

    RunningStats(double alertThreshold) {
      this.alertThreshold = alertThreshold;
    }

    @Override
    public void open(OpenContext openContext) {
      summary = getRuntimeContext().getState(new ValueStateDescriptor<>("summary", new AvroTypeInfo<>(SensorSummary.class)));
    }

    @Override
    public void processElement(SensorReading reading, Context ctx, Collector<SensorSummary> out) throws Exception {
      SensorSummary current = summary.value();
      double value = reading.getValue();
      SensorSummary next =
          current == null
              ? new SensorSummary(reading.getSensorId(), 1L, value, value, value, value, value > alertThreshold)
              : new SensorSummary(
                  reading.getSensorId(),
                  current.getCount() + 1,
                  Math.min(current.getMin(), value),
                  Math.max(current.getMax(), value),
                  current.getMean() + (value - current.getMean()) / (current.getCount() + 1),
                  value,
                  value > alertThreshold);
      summary.update(next);
      out.collect(next);
    }
  }
}
