package cloudflow.flink.spring.deploy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes Kubernetes objects (maps, lists, strings, numbers, booleans) as block-style YAML, the way
 * people write manifests by hand. Strings are written plain only when YAML cannot read them as
 * anything but that string; everything else is double-quoted, so {@code "8080"} and {@code "true"}
 * stay strings.
 */
public final class YamlWriter {

  /** Plain scalars we allow: no leading indicator, no ": " or " #", no surrounding spaces. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z/_.][A-Za-z0-9/_.:=,@ +-]*");

  /** Words YAML 1.1 (kubectl) or 1.2 would read as booleans or null. */
  private static final Pattern SPECIAL =
      Pattern.compile("(?i)(true|false|yes|no|y|n|on|off|null|~|\\.inf|\\.nan|[-+]?[0-9._e:]+)");

  private YamlWriter() {}

  /** The documents, separated by {@code ---}, after a header of comment lines (may be empty). */
  public static String write(List<String> header, List<? extends Map<String, ?>> documents) {
    StringBuilder out = new StringBuilder();
    header.forEach(line -> out.append(line.isEmpty() ? "#" : "# " + line).append('\n'));
    for (int i = 0; i < documents.size(); i++) {
      if (i > 0 || !header.isEmpty()) {
        out.append("---\n");
      }
      writeMap(documents.get(i), 0, out);
    }
    return out.toString();
  }

  private static void writeMap(Map<String, ?> map, int indent, StringBuilder out) {
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      out.append(" ".repeat(indent)).append(scalar(entry.getKey())).append(':');
      writeValue(entry.getValue(), indent, out);
    }
  }

  /** Writes a value after "key:" or "-": inline when scalar or empty, else on the next lines. */
  @SuppressWarnings("unchecked")
  private static void writeValue(Object value, int indent, StringBuilder out) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append(" {}\n");
      } else {
        out.append('\n');
        writeMap((Map<String, ?>) map, indent + 2, out);
      }
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append(" []\n");
      } else {
        out.append('\n');
        writeList(list, indent + 2, out);
      }
    } else {
      out.append(' ').append(scalar(value)).append('\n');
    }
  }

  @SuppressWarnings("unchecked")
  private static void writeList(List<?> list, int indent, StringBuilder out) {
    for (Object item : list) {
      out.append(" ".repeat(indent)).append('-');
      if (item instanceof Map<?, ?> map && !map.isEmpty()) {
        // first entry on the dash line, the others aligned under it
        StringBuilder nested = new StringBuilder();
        writeMap((Map<String, ?>) map, indent + 2, nested);
        out.append(' ').append(nested.substring(indent + 2));
      } else {
        writeValue(item, indent, out);
      }
    }
  }

  /** A scalar as YAML: numbers and booleans as they are, strings plain when safe, else quoted. */
  static String scalar(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    String text = value.toString();
    if (PLAIN.matcher(text).matches() && !SPECIAL.matcher(text).matches() && !text.endsWith(":") && !text.contains(": ") && !text.endsWith(" ")) {
      return text;
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\x%02x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
