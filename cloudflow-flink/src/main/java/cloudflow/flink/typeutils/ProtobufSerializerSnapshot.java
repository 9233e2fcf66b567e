package cloudflow.flink.typeutils;

import com.google.protobuf.Message;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The part of a {@link ProtobufSerializer} stored with checkpoints and savepoints: the message class.
 * Protobuf's encoding is its own schema evolution (fields are found by number), so state written with
 * an older version of the same class is read as is.
 *
 * @param <T> the generated message class
 */
public final class ProtobufSerializerSnapshot<T extends Message> implements TypeSerializerSnapshot<T> {

  private static final int VERSION = 1;

  private Class<T> messageClass;

  /** For Flink, which creates the snapshot and then reads it. */
  public ProtobufSerializerSnapshot() {}

  ProtobufSerializerSnapshot(Class<T> messageClass) {
    this.messageClass = messageClass;
  }

  @Override
  public int getCurrentVersion() {
    return VERSION;
  }

  @Override
  public void writeSnapshot(DataOutputView out) throws IOException {
    out.writeUTF(messageClass.getName());
  }

  @Override
  @SuppressWarnings("unchecked")
  public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
    String name = in.readUTF();
    try {
      messageClass = (Class<T>) Class.forName(name, false, userCodeClassLoader).asSubclass(Message.class);
    } catch (ClassNotFoundException | ClassCastException e) {
      throw new IOException("The Protobuf message class " + name + " of a restored state is not on the class path", e);
    }
  }

  @Override
  public TypeSerializer<T> restoreSerializer() {
    return new ProtobufSerializer<>(messageClass);
  }

  @Override
  public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
    if (oldSnapshot instanceof ProtobufSerializerSnapshot<?> old && old.messageClass.getName().equals(messageClass.getName())) {
      return TypeSerializerSchemaCompatibility.compatibleAsIs();
    }
    return TypeSerializerSchemaCompatibility.incompatible();
  }
}
