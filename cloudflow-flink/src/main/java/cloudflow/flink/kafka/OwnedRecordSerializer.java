package cloudflow.flink.kafka;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The input serializer of the one operator after an inlet's source, whose records no one but that
 * operator can see (see {@link OwnedRecords}): {@link #copy(Object)} hands the record over as it is,
 * everything else is the record type's own serializer. Flink calls {@code copy} on a chained edge
 * when object reuse is off, to protect the upstream operator's object from the downstream one; here
 * the upstream is the Kafka source, which never looks at a record again after emitting it.
 *
 * <p>Its snapshot is the wrapped serializer's: the bytes are the same, so state or in-flight data
 * written with one is read with the other. Input serializers are not part of operator state anyway.
 *
 * @param <T> the record type
 */
final class OwnedRecordSerializer<T> extends TypeSerializer<T> {

  private static final long serialVersionUID = 1L;

  private final TypeSerializer<T> serializer;

  private OwnedRecordSerializer(TypeSerializer<T> serializer) {
    this.serializer = serializer;
  }

  /** {@code serializer} whose copy of a record is the record itself. */
  static <T> TypeSerializer<T> of(TypeSerializer<T> serializer) {
    return serializer instanceof OwnedRecordSerializer<T> ? serializer : new OwnedRecordSerializer<>(serializer);
  }

  /** The record type's own serializer. */
  TypeSerializer<T> wrapped() {
    return serializer;
  }

  @Override
  public boolean isImmutableType() {
    return serializer.isImmutableType();
  }

  @Override
  public TypeSerializer<T> duplicate() {
    TypeSerializer<T> duplicate = serializer.duplicate();
    return duplicate == serializer ? this : new OwnedRecordSerializer<>(duplicate);
  }

  @Override
  public T createInstance() {
    return serializer.createInstance();
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
    return serializer.getLength();
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    serializer.serialize(record, target);
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    return serializer.deserialize(source);
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return serializer.deserialize(reuse, source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serializer.copy(source, target);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OwnedRecordSerializer<?> owned && owned.serializer.equals(serializer);
  }

  @Override
  public int hashCode() {
    return 31 * serializer.hashCode() + 1;
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return serializer.snapshotConfiguration();
  }

  @Override
  public String toString() {
    return "OwnedRecordSerializer(" + serializer + ")";
  }
}
