package cloudflow.streamlets;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * What every inlet of records of a class has in common, whatever their encoding (Avro, Protobuf,
 * JSON): a name, the record class, whether it reads with a consumer group of its own, and its handler
 * of undecodable records. Each kind adds its factories (Cloudflow's {@code create(...)}), codec and
 * schema.
 *
 * @param <T> the record class
 * @param <I> the inlet's own type, which the {@code with...} copies return
 */
public abstract class RecordInlet<T, I extends RecordInlet<T, I>> implements CodecInlet<T>, Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final Class<T> recordClass;
  private final boolean hasUniqueGroupId;
  private final InletErrorHandler<T> errorHandler;

  /**
   * Creates the inlet.
   *
   * @param errorHandler the handler of undecodable records, or {@code null} for none
   */
  protected RecordInlet(String name, Class<T> recordClass, boolean hasUniqueGroupId, InletErrorHandler<T> errorHandler) {
    this.name = Objects.requireNonNull(name, "name");
    this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
    this.hasUniqueGroupId = hasUniqueGroupId;
    this.errorHandler = errorHandler;
  }

  /** A copy of this inlet with the given group and handler choices. */
  protected abstract I copy(boolean uniqueGroupId, InletErrorHandler<T> handler);

  /** A copy of this inlet that reads with a consumer group of its own. */
  public I withUniqueGroupId() {
    return copy(true, errorHandler);
  }

  /** A copy of this inlet with another handler of undecodable records. */
  public I withErrorHandler(InletErrorHandler<T> handler) {
    return copy(hasUniqueGroupId, Objects.requireNonNull(handler, "handler"));
  }

  @Override
  public boolean hasUniqueGroupId() {
    return hasUniqueGroupId;
  }

  @Override
  public Optional<InletErrorHandler<T>> errorHandler() {
    return Optional.ofNullable(errorHandler);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Class<T> recordClass() {
    return recordClass;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + name + ", " + recordClass.getName() + ")";
  }
}
