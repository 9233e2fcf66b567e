package cloudflow.flink.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuietMachineTest {

  @Test
  void countsEverythingButIdleAndIoWaitAsBusy() {
    // user nice system idle iowait irq softirq steal guest guest_nice: guest time is already in user
    assertArrayEquals(new long[] {100 + 5 + 50 + 800 + 20 + 3 + 2, 100 + 5 + 50 + 3 + 2},
        QuietMachine.cpuTimes("cpu  100 5 50 800 20 3 2 0 40 0"));
    // an old kernel's line, without iowait and what follows it
    assertArrayEquals(new long[] {100, 20}, QuietMachine.cpuTimes("cpu 10 0 10 80"));
  }

  @Test
  void refusesOtherLines() {
    assertThrows(IllegalArgumentException.class, () -> QuietMachine.cpuTimes("cpu0 1 2 3 4 5"));
  }

  @Test
  void saysWhetherItWaitedForQuiet() {
    assertEquals("quiet after 3.2 s (CPUs 4 % busy)", new QuietMachine.Wait(3200, 0.04).describe());
    assertEquals("still 35 % busy after 60.1 s: measured anyway", new QuietMachine.Wait(60100, 0.35).describe());
    assertFalse(new QuietMachine.Wait(0, -1).quiet());
  }
}
