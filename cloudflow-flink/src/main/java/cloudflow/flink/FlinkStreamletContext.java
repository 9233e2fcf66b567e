package cloudflow.flink;

import cloudflow.flink.typeutils.ProtobufTypeInfo;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.StreamletContext;
import cloudflow.streamlets.StreamletPort;
import com.google.protobuf.Message;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.io.Serializable;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the runtime gives a {@link FlinkStreamletLogic} for one run: the Flink environment, the
 * configuration, the streamlet's name in the application, and where its ports are connected.
 *
 * <p>The Kafka runtime connects ports to topics; a test kit may connect them to collections. The
 * logic sees no difference.
 *
 * <p>A context is {@link Serializable}, as in Cloudflow, because a logic captured by a function
 * carries its context to the task managers. Implementations keep {@link #config()},
 * {@link #streamletRef()} and {@link #portMappings()} in serializable fields and the environment and
 * other client-side objects in transient ones; {@link #env()} is not available on a task manager.
 */
public abstract class FlinkStreamletContext implements StreamletContext, Serializable {

  private static final long serialVersionUID = 1L;

  /** The Flink environment the job graph is built in. */
  public abstract StreamExecutionEnvironment env();

  /**
   * The application's configuration: everything set in Spring properties (application.yml,
   * environment variables, command line), falling back to {@code application.conf}.
   */
  public abstract Config config();

  /** The name of this streamlet in the application, which is also the Flink job name. */
  @Override
  public abstract String streamletRef();

  /**
   * This streamlet's config parameter values: the part of {@link #config()} under
   * {@code cloudflow.streamlets.<name>.config-parameters}.
   */
  @Override
  public Config streamletConfig() {
    String path = configParametersPath(streamletRef());
    return config().hasPath(path) ? config().getConfig(path) : ConfigFactory.empty();
  }

  /** The path of a streamlet's config parameters in the application's configuration. */
  public static String configParametersPath(String streamletRef) {
    return ConfigUtil.joinPath("cloudflow", "streamlets", streamletRef, "config-parameters");
  }

  /** The topic each port of this streamlet is connected to, by port name. */
  public abstract Map<String, String> portMappings();

  /** The records arriving on {@code inlet}. */
  public abstract <T> DataStream<T> readStream(CodecInlet<T> inlet);

  /** Writes {@code stream} to {@code outlet}. */
  public abstract <T> DataStreamSink<T> writeStream(CodecOutlet<T> outlet, DataStream<T> stream);

  /**
   * The topic {@code port} is connected to.
   *
   * @throws IllegalArgumentException when the port is not connected in this run
   */
  public String topicFor(StreamletPort port) {
    String topic = portMappings().get(port.name());
    if (topic == null) {
      throw new IllegalArgumentException(
          "Port '" + port.name() + "' of streamlet '" + streamletRef() + "' is not connected; connected ports: "
              + portMappings().keySet());
    }
    return topic;
  }

  /**
   * The Flink type of a port's records: Avro's own serializer for generated Avro classes, Protobuf's
   * encoding for generated Protobuf classes, Flink's type extraction otherwise.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <T> TypeInformation<T> typeInfoOf(Class<T> recordClass) {
    if (SpecificRecordBase.class.isAssignableFrom(recordClass)) {
      return (TypeInformation<T>) new AvroTypeInfo(recordClass);
    }
    if (Message.class.isAssignableFrom(recordClass)) {
      return (TypeInformation<T>) new ProtobufTypeInfo(recordClass);
    }
    return TypeInformation.of(recordClass);
  }
}
