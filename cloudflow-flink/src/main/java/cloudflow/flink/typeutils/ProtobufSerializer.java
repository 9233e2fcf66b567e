package cloudflow.flink.typeutils;

import cloudflow.streamlets.proto.javadsl.ProtoSchemas;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes generated Protobuf messages as their binary encoding behind a length. Messages are
 * immutable, so copies are the messages themselves; the parser is thread-safe, so one instance may
 * be shared.
 *
 * @param <T> the generated message class
 */
public final class ProtobufSerializer<T extends Message> extends TypeSerializer<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> messageClass;

  private transient Parser<T> parser;
  private transient T defaultInstance;

  /** Creates a serializer of {@code messageClass}. */
  public ProtobufSerializer(Class<T> messageClass) {
    this.messageClass = Objects.requireNonNull(messageClass, "messageClass");
  }

  /** The message class this serializer writes. */
  public Class<T> messageClass() {
    return messageClass;
  }

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return this;
  }

  @Override
  public T createInstance() {
    if (defaultInstance == null) {
      defaultInstance = ProtoSchemas.defaultInstanceOf(messageClass);
    }
    return defaultInstance;
  }

  @Override
  public T copy(T from) {
    return from;
  }

  @Override
  public T copy(T from, T reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    byte[] bytes = record.toByteArray();
    target.writeInt(bytes.length);
    target.write(bytes);
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    byte[] bytes = new byte[source.readInt()];
    source.readFully(bytes);
    if (parser == null) {
      parser = ProtoSchemas.parserOf(messageClass);
    }
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("Cannot read a " + messageClass.getName() + " from Flink's serialized form", e);
    }
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    int length = source.readInt();
    target.writeInt(length);
    target.write(source, length);
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return new ProtobufSerializerSnapshot<>(messageClass);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ProtobufSerializer<?> that && that.messageClass == messageClass;
  }

  @Override
  public int hashCode() {
    return messageClass.hashCode();
  }
}
