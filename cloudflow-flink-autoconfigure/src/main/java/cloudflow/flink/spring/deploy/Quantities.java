package cloudflow.flink.spring.deploy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities: checked, and converted for the JVM heap and Flink's memory sizes. */
final class Quantities {

  private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?");
  private static final Pattern CPU = Pattern.compile("(\\d+(?:\\.\\d+)?)(m)?");
  private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]");
  private static final Map<String, Long> UNITS = Map.of(
      "", 1L, "Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "Ti", 1L << 40,
      "k", 1_000L, "M", 1_000_000L, "G", 1_000_000_000L, "T", 1_000_000_000_000L);

  private Quantities() {}

  /** Bytes of a memory quantity such as 768Mi or 1G. */
  static long bytes(String quantity, String property) {
    Matcher m = MEMORY.matcher(quantity == null ? "" : quantity.trim());
    if (!m.matches()) {
      throw new InvalidDeploymentSettingsException(property,
          "'" + quantity + "' is not a memory quantity (a number with Ki, Mi, Gi, Ti, k, M, G or T, such as 768Mi)");
    }
    long bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(UNITS.get(m.group(2) == null ? "" : m.group(2)))).longValue();
    if (bytes < (64L << 20)) {
      throw new InvalidDeploymentSettingsException(property, "'" + quantity + "' is less than the 64Mi a streamlet needs at least");
    }
    return bytes;
  }

  /** Cores of a CPU quantity such as 500m or 2. */
  static double cores(String quantity, String property) {
    Matcher m = CPU.matcher(quantity == null ? "" : quantity.trim());
    if (!m.matches() || Double.parseDouble(m.group(1)) <= 0) {
      throw new InvalidDeploymentSettingsException(property,
          "'" + quantity + "' is not a CPU quantity (cores such as 2 or 0.5, or millicores such as 500m)");
    }
    double value = Double.parseDouble(m.group(1));
    return m.group(2) == null ? value : value / 1000;
  }

  /** A JVM heap size (-Xmx) as given, checked. */
  static String heap(String heap, String property) {
    if (heap == null || !HEAP.matcher(heap.trim()).matches()) {
      throw new InvalidDeploymentSettingsException(property, "'" + heap + "' is not a JVM heap size (such as 512m or 2g)");
    }
    return heap.trim();
  }

  /** The default heap for a memory limit: two thirds of it, leaving room for metaspace, threads and network buffers. */
  static String heapFor(long limitBytes) {
    return (limitBytes * 2 / 3 >> 20) + "m";
  }

  /** A memory size as Flink reads it (whole mebibytes: 1024m). */
  static String flinkMemory(long bytes) {
    return (bytes >> 20) + "m";
  }
}
