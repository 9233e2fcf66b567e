package cloudflow.streamlets.avro;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.DecodeException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
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
 * used by one Flink subtask thread at a time. Encoding uses the generated class's own encoder
 * ({@code customEncode}, Avro's "custom coders", off by default in Avro) where the class has one, and
 * writes into an unsynchronized buffer rather than a {@link java.io.ByteArrayOutputStream}, whose
 * synchronized {@code write} the direct encoder calls per byte: several times faster than Avro's
 * generic writer into that stream (measured for {@code benchmarks}' record), with the same bytes.
 *
 * @param <T> the generated record class
 */
public final class AvroCodec<T extends SpecificRecord> implements Codec<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> recordClass;

  private transient SpecificDatumWriter<T> writer;
  private transient SpecificDatumReader<T> reader;
  private transient Buffer buffer;
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
      writer = new SpecificDatumWriter<>(schemaOf(recordClass), withCustomCoders(recordClass));
      buffer = new Buffer();
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

  /**
   * The class's own Avro model (with the conversions of its logical types, which the generic writer
   * needs for classes without custom coders) with custom coders switched on.
   */
  private static SpecificData withCustomCoders(Class<?> recordClass) {
    SpecificData data = new SpecificData(recordClass.getClassLoader());
    SpecificData.getForClass(recordClass).getConversions().forEach(data::addLogicalTypeConversion);
    data.setCustomCoders(true);
    return data;
  }

  /** Always: a new record per call (the reader is given no record to reuse). */
  @Override
  public boolean decodesNewObjects() {
    return true;
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

  /** A growable byte array without {@link java.io.ByteArrayOutputStream}'s locking: one thread writes it. */
  private static final class Buffer extends OutputStream {

    private byte[] bytes = new byte[256];
    private int size;

    void reset() {
      size = 0;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    @Override
    public void write(int b) {
      if (size == bytes.length) {
        bytes = Arrays.copyOf(bytes, size * 2);
      }
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
      if (size + length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(size + length, size * 2));
      }
      System.arraycopy(source, offset, bytes, size, length);
      size += length;
    }
  }
}
