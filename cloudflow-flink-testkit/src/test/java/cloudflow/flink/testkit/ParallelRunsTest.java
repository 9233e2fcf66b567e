package cloudflow.flink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import cloudflow.flink.testkit.ProcessorTest.Doubler;
import cloudflow.flink.testkit.data.Reading;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Runs share nothing: two at once each get only their own records. */
class ParallelRunsTest {

  @Test
  void twoRunsInParallelSeeOnlyTheirOwnResults() throws Exception {
    Doubler doubler = new Doubler(); // one streamlet instance for both runs, as a Spring singleton would be
    List<Reading> first = LongStream.rangeClosed(1, 50).mapToObj(i -> new Reading("first", i)).toList();
    List<Reading> second = LongStream.rangeClosed(1, 30).mapToObj(i -> new Reading("second", i)).toList();
    CountDownLatch start = new CountDownLatch(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<List<KeyedRecord<Reading>>> firstRun =
          threads.submit(() -> run(doubler, new FlinkTestkit().withConfigValue("doubler.factor", 2), first, start));
      Future<List<KeyedRecord<Reading>>> secondRun =
          threads.submit(() -> run(doubler, new FlinkTestkit().withConfigValue("doubler.factor", 3), second, start));

      assertThat(firstRun.get(60, TimeUnit.SECONDS))
          .containsExactlyElementsOf(
              first.stream().map(r -> new KeyedRecord<>("first", new Reading("first", r.getValue() * 2))).toList());
      assertThat(secondRun.get(60, TimeUnit.SECONDS))
          .containsExactlyElementsOf(
              second.stream().map(r -> new KeyedRecord<>("second", new Reading("second", r.getValue() * 3))).toList());
    } finally {
      threads.shutdownNow();
    }
  }

  private static List<KeyedRecord<Reading>> run(
      Doubler doubler, FlinkTestkit testkit, List<Reading> input, CountDownLatch start) throws InterruptedException {
    FlinkOutletTap<Reading> out = testkit.outletAsTap(doubler.out);
    FlinkInletTap<Reading> in = testkit.inletAsTap(doubler.in, input);
    start.countDown();
    start.await();
    testkit.run(doubler, List.of(in), List.of(out));
    return out.keyedRecords();
  }
}
