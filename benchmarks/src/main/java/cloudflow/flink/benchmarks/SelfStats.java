package cloudflow.flink.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory and GC figures a contender JVM measures about itself (no remote JMX): peak heap used
 * (sampled every 50 ms), peak resident set size (the kernel's {@code VmHWM}), and the GC pause time
 * and count between {@link #markReady()} and {@link #snapshot()}.
 */
final class SelfStats {

  private final long launchedAtMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
  private volatile long peakHeapUsed;
  private volatile long readyAtMillis;
  private volatile long gcMillisAtReady;
  private volatile long gcCountAtReady;

  SelfStats() {
    Thread sampler = new Thread(() -> {
      var memory = ManagementFactory.getMemoryMXBean();
      while (true) {
        long used = memory.getHeapMemoryUsage().getUsed();
        if (used > peakHeapUsed) {
          peakHeapUsed = used;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** The moment the job is running: GC time is counted from here. */
  long markReady() {
    readyAtMillis = System.currentTimeMillis();
    gcMillisAtReady = gcMillis();
    gcCountAtReady = gcCount();
    return readyAtMillis;
  }

  /** The figures as {@code key=value} pairs for the {@code BENCH STATS} line. */
  Map<String, String> snapshot() {
    long now = System.currentTimeMillis();
    Map<String, String> stats = new LinkedHashMap<>();
    long runMillis = Math.max(1, now - readyAtMillis);
    long gc = gcMillis() - gcMillisAtReady;
    stats.put("startupMs", String.valueOf(readyAtMillis - launchedAtMillis));
    stats.put("runMs", String.valueOf(runMillis));
    stats.put("gcMs", String.valueOf(gc));
    stats.put("gcCount", String.valueOf(gcCount() - gcCountAtReady));
    stats.put("gcShare", String.format(java.util.Locale.ROOT, "%.4f", gc / (double) runMillis));
    stats.put("heapPeakMb", String.valueOf(peakHeapUsed / (1024 * 1024)));
    stats.put("heapMaxMb", String.valueOf(Runtime.getRuntime().maxMemory() / (1024 * 1024)));
    stats.put("rssPeakMb", String.valueOf(procStatusKb("VmHWM") / 1024));
    stats.put("rssMb", String.valueOf(procStatusKb("VmRSS") / 1024));
    stats.put("threads", String.valueOf(Thread.activeCount()));
    return stats;
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static long gcCount() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionCount());
    }
    return total;
  }

  /** A {@code kB} field of {@code /proc/self/status}, or -1 where there is none (not Linux). */
  static long procStatusKb(String field) {
    return procStatusKb(Path.of("/proc/self/status"), field);
  }

  static long procStatusKb(Path status, String field) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }
}
