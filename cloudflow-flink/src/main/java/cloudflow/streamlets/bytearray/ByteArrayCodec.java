package cloudflow.streamlets.bytearray;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.SchemaDefinition;

/** The identity codec of raw ports: the record is the Kafka value, byte for byte. */
public final class ByteArrayCodec implements Codec<byte[]> {

  private static final long serialVersionUID = 1L;

  /** The format name of raw ports in schema definitions (Cloudflow's). */
  public static final String FORMAT = "bytearray";

  private static final ByteArrayCodec INSTANCE = new ByteArrayCodec();

  private ByteArrayCodec() {}

  /** The codec (it has no state). */
  public static ByteArrayCodec getInstance() {
    return INSTANCE;
  }

  /** The schema definition of every raw port, as Cloudflow wrote it. */
  static SchemaDefinition schemaDefinition() {
    // Cloudflow's fingerprint: base64 of the SHA-256 of the schema name
    return new SchemaDefinition("ByteArraySchema", "ByteArraySchema", "dwlWOQ4Sjx4PeuYwyPH0Hf8dvXa/re/h461LiDLWQSo=", FORMAT);
  }

  @Override
  public byte[] encode(byte[] value) {
    return value;
  }

  /** Always: the Kafka record's own value array, read once per record and kept by no one. */
  @Override
  public boolean decodesNewObjects() {
    return true;
  }

  @Override
  public byte[] decode(byte[] bytes) {
    return bytes;
  }

  private Object readResolve() {
    return INSTANCE;
  }
}
