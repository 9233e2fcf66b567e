package cloudflow.flink.spring.testsupport;

import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.FlinkStreamletLogic;
import cloudflow.streamlets.Inlet;
import cloudflow.streamlets.SchemaDefinition;
import cloudflow.streamlets.StreamletShape;

/**
 * A sink whose inlet {@code in} declares a {@code cloudflow.flink.spring.testdata.Reading} schema that
 * cannot read what {@link ReadingIngress} and {@link ReadingProcessor} write: it requires a field
 * {@link #MISSING_FIELD} without a default. Shape only; its {@link #createLogic()} throws.
 */
public class IncompatibleReadingSink extends FlinkStreamlet {

  /** The field the inlet's schema requires and the writers' schema lacks. */
  public static final String MISSING_FIELD = "unit";

  private static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"cloudflow.flink.spring.testdata\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"" + MISSING_FIELD + "\",\"type\":\"string\"}]}";

  public final Inlet in = new Inlet() {
    @Override
    public String name() {
      return "in";
    }

    @Override
    public SchemaDefinition schemaDefinition() {
      return new SchemaDefinition("cloudflow.flink.spring.testdata.Reading", SCHEMA, "incompatible", "avro");
    }
  };

  @Override
  public StreamletShape shape() {
    return StreamletShape.createWithInlets(in);
  }

  @Override
  public FlinkStreamletLogic createLogic() {
    throw new IllegalStateException("createLogic() must not be called");
  }
}
