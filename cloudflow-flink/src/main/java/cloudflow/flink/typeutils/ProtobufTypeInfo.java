package cloudflow.flink.typeutils;

import com.google.protobuf.Message;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The Flink type of a generated Protobuf message class: records between operators and in state are
 * written in Protobuf's binary encoding ({@link ProtobufSerializer}), not by Kryo's generic fallback,
 * which would walk the message's internal fields (caches, unknown-field sets) by reflection.
 *
 * @param <T> the generated message class
 */
public final class ProtobufTypeInfo<T extends Message> extends TypeInformation<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> messageClass;

  /** Creates the type information of {@code messageClass}. */
  public ProtobufTypeInfo(Class<T> messageClass) {
    this.messageClass = Objects.requireNonNull(messageClass, "messageClass");
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return messageClass;
  }

  @Override
  public boolean isKeyType() {
    // the encoding of equal messages can differ (field order of unknown fields, map order): no binary keys
    return false;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new ProtobufSerializer<>(messageClass);
  }

  @Override
  public String toString() {
    return "Protobuf<" + messageClass.getName() + ">";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ProtobufTypeInfo<?> that && that.canEqual(this) && that.messageClass == messageClass;
  }

  @Override
  public int hashCode() {
    return messageClass.hashCode();
  }

  @Override
  public boolean canEqual(Object other) {
    return other instanceof ProtobufTypeInfo;
  }
}
