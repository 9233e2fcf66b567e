package cloudflow.streamlets.bytearray;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.CodecInlet;
import cloudflow.streamlets.SchemaDefinition;
import java.io.Serializable;
import java.util.Objects;

/**
 * An inlet of raw bytes, for a topic that a system outside the blueprint writes in its own format
 * (Cloudflow's {@code ExternalInlet}): each record is a Kafka value as it is, and the streamlet
 * decodes it itself. Bytes never fail to decode, so there is no error handler.
 *
 * <pre>{@code
 * ExternalInlet in = ExternalInlet.create("in");
 * }</pre>
 */
public final class ExternalInlet implements CodecInlet<byte[]>, Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final boolean hasUniqueGroupId;

  private ExternalInlet(String name, boolean hasUniqueGroupId) {
    this.name = Objects.requireNonNull(name, "name");
    this.hasUniqueGroupId = hasUniqueGroupId;
  }

  /** Creates an inlet named {@code name}. */
  public static ExternalInlet create(String name) {
    return new ExternalInlet(name, false);
  }

  /**
   * Creates an inlet; with {@code hasUniqueGroupId} every running instance reads all records
   * (a consumer group of its own).
   */
  public static ExternalInlet create(String name, boolean hasUniqueGroupId) {
    return new ExternalInlet(name, hasUniqueGroupId);
  }

  /** A copy of this inlet that reads with a consumer group of its own. */
  public ExternalInlet withUniqueGroupId() {
    return new ExternalInlet(name, true);
  }

  @Override
  public boolean hasUniqueGroupId() {
    return hasUniqueGroupId;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Class<byte[]> recordClass() {
    return byte[].class;
  }

  @Override
  public Codec<byte[]> codec() {
    return ByteArrayCodec.getInstance();
  }

  @Override
  public SchemaDefinition schemaDefinition() {
    return ByteArrayCodec.schemaDefinition();
  }

  @Override
  public String toString() {
    return "ExternalInlet(" + name + ")";
  }
}
