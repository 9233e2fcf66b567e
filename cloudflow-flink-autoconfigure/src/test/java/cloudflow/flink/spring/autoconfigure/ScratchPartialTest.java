package cloudflow.flink.spring.autoconfigure;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;
import cloudflow.flink.spring.testsupport.*;
import cloudflow.flink.FlinkStreamlet;
import cloudflow.flink.runtime.*;
import cloudflow.flink.spring.kafka.EmbeddedKafkaAutoConfiguration;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ScratchPartialTest {
  @Test void partial() {
    List<StubExecution> started = new ArrayList<>();
    StreamletRunner runner = mock(StreamletRunner.class);
    when(runner.run(any(), any())).thenAnswer(inv -> {
      StreamletDefinition d = inv.getArgument(1);
      if (d.streamletRef().equals("source")) throw new StreamletSubmissionException("boom", null);
      StubExecution e = new StubExecution(d.streamletRef()); started.add(e); return e; });
    new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, EmbeddedKafkaAutoConfiguration.class, CloudflowFlinkAutoConfiguration.class))
      .withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092", "cloudflow.local=true",
        "cloudflow.streamlets.doubler.ports.in.topic=a", "cloudflow.streamlets.doubler.ports.out.topic=b", "cloudflow.streamlets.source.ports.out.topic=a")
      .withBean("doubler", FlinkStreamlet.class, ReadingProcessor::new)
      .withBean("source", FlinkStreamlet.class, ReadingIngress::new)
      .withBean(StreamletRunner.class, () -> runner)
      .run(c -> System.out.println("PARTIAL failed=" + c.getStartupFailure() + " started=" + started + " " + (started.isEmpty() ? "" : started.get(0).status())));
  }
}
