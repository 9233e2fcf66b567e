package cloudflow.streamlets.avro;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.DecodeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro binary encoding of a generated {@link SpecificRecord} class, without any header: the schema
 * is known from the port on both sides.
 *
 * <p>Readers, writers and buffers are created on first use and reused, because a codec instance is
 * used by one Flink subtask thread at a time.
 *
 * @param <T> the generated record class
 */
public final class AvroCodec<T extends SpecificRecord> implements Codec<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> recordClass;

  private transient SpecificDatumWriter<T> writer;
  private transient SpecificDatumReader<T> reader;
  private transient ByteArrayOutputStream buffer;
  private transient BinaryEncoder encoder;
  private transient BinaryDecoder decoder;

  /** Creates a codec for the given generated class. */
  public AvroCodec(Class<T> recordClass) {
    this.recordClass = recordClass;
  }

  /** The Avro schema of the record class. */
  public static Schema schemaOf(Class<? extends SpecificRecord> recordClass) {
    return SpecificData.getForClass(recordClass).getSchema(recordClass);
  }

  @Override
  public byte[] encode(T value) {
    if (writer == null) {
      writer = new SpecificDatumWriter<>(schemaOf(recordClass));
      buffer = new ByteArrayOutputStream(256);
    }
    buffer.reset();
    encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode " + recordClass.getName(), e);
    }
    return buffer.toByteArray();
  }

  @Override
  public T decode(byte[] bytes) {
    if (reader == null) {
      reader = new SpecificDatumReader<>(recordClass);
    }
    decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
    try {
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      // Avro's decoder throws exceptions without a message (EOFException, index errors): reasonOf names their class
      throw new DecodeException(
          "Cannot decode " + bytes.length + " bytes as Avro " + recordClass.getName() + ": " + DecodeException.reasonOf(e), e);
    }
  }
}
