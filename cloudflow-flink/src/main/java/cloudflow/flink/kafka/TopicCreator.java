package cloudflow.flink.kafka;

import cloudflow.flink.startup.KafkaCredentialsRefusedException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a streamlet reads and writes if they do not exist yet, with the broker's
 * default partitions and replicas, as Cloudflow's operator did. A source started on a missing topic
 * would otherwise only notice it at its next partition discovery. Where the application may not
 * create topics (ACLs), the failure is logged and the topics must be created by whoever owns them.
 * Credentials the brokers refuse stop the streamlet here, before a job restarts against them.
 */
public final class TopicCreator {

  private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

  private TopicCreator() {}

  /** Creates the missing topics among {@code topics}. */
  public static void createMissing(KafkaSettings kafka, Collection<String> topics) {
    if (topics.isEmpty()) {
      return;
    }
    Properties properties = kafka.adminProperties(Duration.ofSeconds(15));
    try (Admin admin = Admin.create(properties)) {
      Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
      List<NewTopic> missing = topics.stream()
          .distinct()
          .filter(topic -> !existing.contains(topic))
          .map(topic -> new NewTopic(topic, Optional.empty(), Optional.empty()))
          .toList();
      if (missing.isEmpty()) {
        return;
      }
      for (var result : admin.createTopics(missing).values().entrySet()) {
        try {
          result.getValue().get(15, TimeUnit.SECONDS);
          log.info("Created topic {}", result.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            log.warn("Could not create topic {}: {}", result.getKey(), e.getCause().toString());
          }
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException auth) {
        // non-retriable: the job would restart forever against the same refusal
        throw new KafkaCredentialsRefusedException(kafka.admin().bootstrapServers(), auth);
      }
      log.warn("Could not check whether topics {} exist: {}", topics, e.toString());
    } catch (TimeoutException | KafkaException e) {
      log.warn("Could not check whether topics {} exist: {}", topics, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
