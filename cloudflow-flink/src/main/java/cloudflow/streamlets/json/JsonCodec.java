package cloudflow.streamlets.json;

import cloudflow.streamlets.Codec;
import cloudflow.streamlets.DecodeException;
import cloudflow.streamlets.SchemaDefinition;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * UTF-8 JSON of a plain Java class, by Jackson's default mapping. Properties the class does not have
 * are ignored, because the writers of foreign topics add fields without asking.
 *
 * @param <T> the record class: a Java record or a class Jackson can create
 */
public final class JsonCodec<T> implements Codec<T> {

  private static final long serialVersionUID = 1L;

  /** The format name of JSON ports in schema definitions. */
  public static final String FORMAT = "json";

  private final Class<T> recordClass;

  // Jackson's reader and writer are thread-safe and costly to build: once per task
  private transient ObjectReader reader;
  private transient ObjectWriter writer;

  /** Creates a codec for {@code recordClass}. */
  public JsonCodec(Class<T> recordClass) {
    this.recordClass = recordClass;
  }

  static SchemaDefinition schemaDefinition(Class<?> recordClass) {
    return new SchemaDefinition(recordClass.getName(), recordClass.getName(), recordClass.getName(), FORMAT);
  }

  @Override
  public byte[] encode(T value) {
    if (writer == null) {
      writer = mapper().writerFor(recordClass);
    }
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot write " + recordClass.getName() + " as JSON", e);
    }
  }

  /** Always: Jackson creates a new object per call. */
  @Override
  public boolean decodesNewObjects() {
    return true;
  }

  @Override
  public T decode(byte[] bytes) {
    if (reader == null) {
      reader = mapper().readerFor(recordClass);
    }
    try {
      T value = reader.readValue(bytes);
      if (value == null) {
        throw new IOException("the JSON value is null");
      }
      return value;
    } catch (IOException e) {
      throw new DecodeException(
          "Cannot decode " + bytes.length + " bytes as JSON " + recordClass.getName() + ": " + DecodeException.reasonOf(e), e);
    }
  }

  private static ObjectMapper mapper() {
    return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
