package cloudflow.blueprint;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a consumer's Protobuf message can read what a producer's message writes, field by field
 * with protobuf's own descriptors. Protobuf finds fields by number, so for every field of the
 * consumer's message (and of the messages nested in it):
 *
 * <ul>
 *   <li>a field number the producer does not write is fine (the consumer sees its default), unless
 *       the consumer declares it {@code required} (proto2): parsing then fails on every record;
 *   <li>a field number the producer writes with another type, or repeated where the consumer expects
 *       one value (or the reverse), is refused. Protobuf would parse some such pairs (int32 and int64,
 *       string and bytes), but into other values than were written;
 *   <li>field names do not matter on the wire and are not compared; fields only the producer has are
 *       kept as unknown fields by the consumer.
 * </ul>
 */
final class ProtoCompatibility {

  private ProtoCompatibility() {}

  /** The reasons why {@code reader} cannot read {@code writer}'s records; empty when it can. */
  static List<String> incompatibilities(Descriptor writer, Descriptor reader) {
    List<String> reasons = new ArrayList<>();
    compare(writer, reader, "", reasons, new HashSet<>());
    return reasons;
  }

  private static void compare(Descriptor writer, Descriptor reader, String path, List<String> reasons, Set<String> compared) {
    if (!compared.add(writer.getFullName() + " -> " + reader.getFullName())) {
      return; // a recursive message, already compared
    }
    for (FieldDescriptor read : reader.getFields()) {
      String field = path + read.getName() + " (number " + read.getNumber() + ")";
      FieldDescriptor written = writer.findFieldByNumber(read.getNumber());
      if (written == null) {
        if (read.isRequired()) {
          reasons.add("required field " + field + " of " + reader.getFullName() + " is missing from "
              + writer.getFullName() + ", so no record would parse");
        }
      } else if (written.getType() != read.getType()) {
        reasons.add("field " + field + " is " + typeOf(read) + " in the consumer but " + typeOf(written)
            + " in the producer (" + writer.getFullName() + "." + written.getName() + ")");
      } else if (written.isRepeated() != read.isRepeated()) {
        reasons.add("field " + field + " is " + (read.isRepeated() ? "repeated" : "a single value")
            + " in the consumer but " + (written.isRepeated() ? "repeated" : "a single value") + " in the producer");
      } else if (read.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        compare(written.getMessageType(), read.getMessageType(), path + read.getName() + ".", reasons, compared);
      }
    }
  }

  private static String typeOf(FieldDescriptor field) {
    return switch (field.getType()) {
      case MESSAGE, GROUP -> "message " + field.getMessageType().getFullName();
      case ENUM -> "enum " + field.getEnumType().getFullName();
      default -> field.getType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
