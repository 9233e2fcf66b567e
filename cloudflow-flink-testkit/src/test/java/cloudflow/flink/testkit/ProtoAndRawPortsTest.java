package cloudflow.flink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletContext;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.flink.testkit.data.proto.Odometer;
import cloudflow.flink.testkit.data.proto.Trip;
import cloudflow.streamlets.StreamletShape;
import cloudflow.streamlets.bytearray.ExternalInlet;
import cloudflow.streamlets.bytearray.ExternalOutlet;
import cloudflow.streamlets.json.JsonInlet;
import cloudflow.streamlets.proto.javadsl.ProtoInlet;
import cloudflow.streamlets.proto.javadsl.ProtoOutlet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.junit.jupiter.api.Test;

/** Taps on Protobuf, raw and JSON ports. */
class ProtoAndRawPortsTest {

  /** Keeps each vehicle's odometer (a Protobuf message) in keyed state. */
  static final class OdometerStreamlet extends FlinkStreamlet {
    final ProtoInlet<Trip> in = ProtoInlet.create("in", Trip.class);
    final ProtoOutlet<Odometer> out = ProtoOutlet.create("out", Odometer::getVehicle, Odometer.class);

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(in).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          writeStream(out, readStream(in).keyBy(Trip::getVehicle).map(new Accumulate(),
              FlinkStreamletContext.typeInfoOf(Odometer.class)));
        }
      };
    }
  }

  /** The state is a Protobuf message, so it goes through the Protobuf serializer as well. */
  static final class Accumulate extends RichMapFunction<Trip, Odometer> {
    private transient ValueState<Odometer> odometer;

    @Override
    public void open(OpenContext openContext) {
      odometer = getRuntimeContext().getState(
          new ValueStateDescriptor<>("odometer", FlinkStreamletContext.typeInfoOf(Odometer.class)));
    }

    @Override
    public Odometer map(Trip trip) throws Exception {
      Odometer before = odometer.value();
      long total = (before == null ? 0 : before.getTotalMeters()) + trip.getMeters();
      Odometer after = Odometer.newBuilder().setVehicle(trip.getVehicle()).setTotalMeters(total).setLastTrip(trip).build();
      odometer.update(after);
      return after;
    }
  }

  /** A reading as another system writes it. */
  public record Ping(String host, int millis) {}

  /** Writes "host:millis" as raw bytes for each JSON ping, and passes raw bytes on reversed. */
  static final class PingFormatter extends FlinkStreamlet {
    final JsonInlet<Ping> pings = JsonInlet.create("pings", Ping.class);
    final ExternalInlet raw = ExternalInlet.create("raw");
    final ExternalOutlet out = ExternalOutlet.create("out", bytes -> new String(bytes, StandardCharsets.UTF_8).substring(0, 1));

    @Override
    public StreamletShape shape() {
      return StreamletShape.createWithInlets(pings, raw).withOutlets(out);
    }

    @Override
    public FlinkStreamletLogic createLogic() {
      return new FlinkStreamletLogic(getContext()) {
        @Override
        public void buildExecutionGraph() {
          writeStream(out, readStream(pings).map(p -> (p.host() + ":" + p.millis()).getBytes(StandardCharsets.UTF_8))
              .union(readStream(raw).map(b -> new StringBuilder(new String(b, StandardCharsets.UTF_8)).reverse().toString()
                  .getBytes(StandardCharsets.UTF_8))));
        }
      };
    }
  }

  private static Trip trip(String vehicle, long meters) {
    return Trip.newBuilder().setVehicle(vehicle).setMeters(meters).build();
  }

  @Test
  void protobufPortsCarryMessagesAndKeysThroughKeyedProtobufState() {
    OdometerStreamlet streamlet = new OdometerStreamlet();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkInletTap<Trip> in = testkit.inletAsTap(streamlet.in,
        List.of(trip("car", 100), trip("bike", 7), trip("car", 50), trip("car", 1)));
    FlinkOutletTap<Odometer> out = testkit.outletAsTap(streamlet.out);

    testkit.run(streamlet, List.of(in), List.of(out));

    assertThat(out.recordsByKey().get("car")).extracting(Odometer::getTotalMeters).containsExactly(100L, 150L, 151L);
    assertThat(out.recordsByKey().get("car")).last().extracting(Odometer::getLastTrip).isEqualTo(trip("car", 1));
    assertThat(out.keyedRecords()).filteredOn(r -> r.key().equals("bike")).containsExactly(new KeyedRecord<>("bike",
        Odometer.newBuilder().setVehicle("bike").setTotalMeters(7).setLastTrip(trip("bike", 7)).build()));
  }

  @Test
  void rawAndJsonPortsCarryTheirRecords() {
    PingFormatter streamlet = new PingFormatter();
    FlinkTestkit testkit = new FlinkTestkit();
    FlinkInletTap<Ping> pings = testkit.inletAsTap(streamlet.pings, List.of(new Ping("db", 12), new Ping("web", 3)));
    FlinkInletTap<byte[]> raw = testkit.inletAsTap(streamlet.raw, List.of("olleh".getBytes(StandardCharsets.UTF_8)));
    FlinkOutletTap<byte[]> out = testkit.outletAsTap(streamlet.out);

    testkit.run(streamlet, List.of(pings, raw), List.of(out));

    assertThat(out.keyedRecords()).extracting(r -> r.key() + "=" + new String(r.record(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder("d=db:12", "w=web:3", "h=hello");
  }
}
