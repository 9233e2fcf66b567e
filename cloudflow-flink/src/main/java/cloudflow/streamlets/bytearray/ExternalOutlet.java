package cloudflow.streamlets.bytearray;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.CodecOutlet;
import cloudflow.streamlets.KeyFunction;
import cloudflow.streamlets.RoundRobinPartitioner;
import cloudflow.streamlets.SchemaDefinition;
import java.io.Serializable;
import java.util.Objects;

/**
 * An outlet of raw bytes, for a topic that a system outside the blueprint reads in its own format
 * (Cloudflow's {@code ExternalOutlet}): the streamlet encodes each record itself, and the bytes
 * become the Kafka value as they are.
 *
 * <pre>{@code
 * ExternalOutlet out = ExternalOutlet.create("out");
 * }</pre>
 */
public final class ExternalOutlet implements CodecOutlet<byte[]>, Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final KeyFunction<byte[]> partitioner;

  private ExternalOutlet(String name, KeyFunction<byte[]> partitioner) {
    this.name = Objects.requireNonNull(name, "name");
    this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
  }

  /** Creates an outlet whose records carry no key and are spread over all partitions. */
  public static ExternalOutlet create(String name) {
    return new ExternalOutlet(name, RoundRobinPartitioner.getInstance());
  }

  /** Creates an outlet named {@code name}; {@code partitioner} computes each record's Kafka key from its bytes. */
  public static ExternalOutlet create(String name, KeyFunction<byte[]> partitioner) {
    return new ExternalOutlet(name, partitioner);
  }

  /** A copy of this outlet with another partitioning function. */
  public ExternalOutlet withPartitioner(KeyFunction<byte[]> partitioner) {
    return new ExternalOutlet(name, partitioner);
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
  public KeyFunction<byte[]> partitioner() {
    return partitioner;
  }

  @Override
  public SchemaDefinition schemaDefinition() {
    return ByteArrayCodec.schemaDefinition();
  }

  @Override
  public String toString() {
    return "ExternalOutlet(" + name + ")";
  }
}
