package cloudflow.flink.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Waits until the machine's CPUs are idle before a startup is timed: startup targets are for a quiet
 * machine, and a startup timed while the broker, the kernel or the JVM before it is still at work
 * (after a throughput run, with topics on a disk) is timed on a busy one. The log line says how long
 * the wait was, so a run on a machine that never got quiet shows.
 *
 * <p>Reads the busy share of all CPUs from {@code /proc/stat} over one-second windows; elsewhere it
 * does not wait.
 */
final class QuietMachine {

  /** Busy share of all CPUs at or under which the machine counts as quiet. */
  static final double QUIET_BUSY_SHARE = 0.10;
  /** How long to wait for quiet at most: a machine that stays busy is measured busy, and said so. */
  static final Duration LIMIT = Duration.ofSeconds(60);

  private static final Path PROC_STAT = Path.of("/proc/stat");
  private static final Duration WINDOW = Duration.ofSeconds(1);

  /** How a wait ended: how long it took, and the busy share of the last window (-1 when unknown). */
  record Wait(long waitedMillis, double busyShare) {
    /** Whether the machine was seen quiet (false when its load is unknown). */
    boolean quiet() {
      return busyShare >= 0 && busyShare <= QUIET_BUSY_SHARE;
    }

    /** One line for the log: how long the wait took and how busy the machine was at its end. */
    String describe() {
      if (busyShare < 0) {
        return "machine load unknown (no /proc/stat): not waited for quiet";
      }
      return String.format(Locale.ROOT, quiet() ? "quiet after %.1f s (CPUs %.0f %% busy)"
          : "still %2$.0f %% busy after %1$.1f s: measured anyway", waitedMillis / 1000.0, busyShare * 100);
    }
  }

  private QuietMachine() {}

  /** Waits until the CPUs were at most {@link #QUIET_BUSY_SHARE} busy over one second, {@link #LIMIT} at most. */
  static Wait await() throws InterruptedException {
    long start = System.nanoTime();
    long[] before = cpuTimes();
    if (before == null) {
      return new Wait(0, -1);
    }
    double busyShare;
    do {
      Thread.sleep(WINDOW.toMillis());
      long[] after = cpuTimes();
      if (after == null) {
        return new Wait(0, -1);
      }
      long total = after[0] - before[0];
      busyShare = total <= 0 ? 0 : (double) (after[1] - before[1]) / total;
      before = after;
    } while (busyShare > QUIET_BUSY_SHARE && System.nanoTime() - start < LIMIT.toNanos());
    return new Wait((System.nanoTime() - start) / 1_000_000, busyShare);
  }

  /** All CPUs' total and busy time (everything but idle and I/O wait), in clock ticks; null without /proc/stat. */
  static long[] cpuTimes() {
    try {
      String first = Files.readAllLines(PROC_STAT, StandardCharsets.US_ASCII).get(0);
      return cpuTimes(first);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Parses the {@code cpu} line of {@code /proc/stat}: user nice system idle iowait irq softirq steal ... */
  static long[] cpuTimes(String cpuLine) {
    String[] fields = cpuLine.trim().split("\\s+");
    if (!fields[0].equals("cpu") || fields.length < 5) {
      throw new IllegalArgumentException("Not the cpu line of /proc/stat: " + cpuLine);
    }
    long total = 0;
    // guest and guest_nice (fields 9 and 10) are already counted in user and nice
    for (int i = 1; i < Math.min(fields.length, 9); i++) {
      total += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[4]) + (fields.length > 5 ? Long.parseLong(fields[5]) : 0);
    return new long[] {total, total - idle};
  }
}
