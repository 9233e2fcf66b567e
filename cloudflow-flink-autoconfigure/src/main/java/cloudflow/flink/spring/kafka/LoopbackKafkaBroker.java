package cloudflow.flink.spring.kafka;

import cloudflow.flink.runtime.ProcessTempDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * A one-node KRaft Kafka server (broker and controller in one node) in this JVM whose listeners bind
 * 127.0.0.1 only. Spring's {@code EmbeddedKafkaKraftBroker} runs on Kafka's test kit, which pre-binds
 * every listener on the wildcard address whatever {@code listeners} says; this one runs Kafka's own
 * {@link KafkaRaftServer}, so the dev broker is not reachable from other machines.
 *
 * <p>Its data lives in a directory of the process's temporary directory ({@link ProcessTempDirectory}):
 * deleted by {@link #destroy()}, and by the next start when the process was killed.
 */
final class LoopbackKafkaBroker implements EmbeddedKafkaBroker {

  private static final String HOST = "127.0.0.1";
  private static final int START_ATTEMPTS = 3;
  private static final Duration ASSIGNMENT_TIMEOUT = Duration.ofSeconds(60);

  private final int partitions;
  private final Map<String, String> brokerProperties = new LinkedHashMap<>();
  private final Set<String> topics = Collections.synchronizedSet(new LinkedHashSet<>());
  private final AtomicBoolean destroyed = new AtomicBoolean();
  private String brokerListProperty = SPRING_EMBEDDED_KAFKA_BROKERS;
  private int adminTimeoutSeconds = DEFAULT_ADMIN_TIMEOUT;

  private ProcessTempDirectory temporary;
  private Path dataDirectory;
  private KafkaRaftServer server;
  private String brokersAsString;

  /**
   * @param partitions the broker's {@code num.partitions}: partitions of topics created without a count
   */
  LoopbackKafkaBroker(int partitions) {
    this.partitions = partitions;
  }

  @Override
  public EmbeddedKafkaBroker kafkaPorts(int... ports) {
    throw new UnsupportedOperationException("The embedded broker picks free ports on " + HOST + " itself");
  }

  @Override
  public EmbeddedKafkaBroker brokerProperties(Map<String, String> properties) {
    brokerProperties.putAll(properties);
    return this;
  }

  @Override
  public EmbeddedKafkaBroker brokerListProperty(String property) {
    this.brokerListProperty = property;
    return this;
  }

  @Override
  public EmbeddedKafkaBroker adminTimeout(int seconds) {
    this.adminTimeoutSeconds = seconds;
    return this;
  }

  /** Formats the storage and starts the server on free ports of 127.0.0.1. */
  @Override
  public synchronized void afterPropertiesSet() {
    if (server != null) {
      return;
    }
    temporary = ProcessTempDirectory.acquire();
    RuntimeException failure = null;
    // the free ports are found by binding and closing a socket: another process may take one meanwhile
    for (int attempt = 1; attempt <= START_ATTEMPTS && server == null; attempt++) {
      try {
        start();
      } catch (RuntimeException e) {
        failure = e;
        stopAndDelete();
      }
    }
    if (server == null) {
      temporary.release();
      temporary = null;
      throw new IllegalStateException("Cannot start the embedded Kafka broker on " + HOST
          + "; set spring.kafka.bootstrap-servers to use another broker", failure);
    }
    if (brokerListProperty != null) {
      System.setProperty(brokerListProperty, brokersAsString);
    }
  }

  private void start() {
    try {
      int port = freePort();
      int controllerPort = freePort();
      dataDirectory = Files.createTempDirectory(temporary.path(), "kafka-");
      Map<String, String> settings = new HashMap<>();
      settings.put("process.roles", "broker,controller");
      settings.put("node.id", "1");
      settings.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
      settings.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
      settings.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
      settings.put("controller.listener.names", "CONTROLLER");
      settings.put("inter.broker.listener.name", "PLAINTEXT");
      settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      settings.put("log.dirs", dataDirectory.toString());
      settings.put("num.partitions", String.valueOf(partitions));
      // one node: internal topics cannot have more replicas, or transactions (exactly-once) never start
      settings.put("default.replication.factor", "1");
      settings.put("offsets.topic.replication.factor", "1");
      settings.put("offsets.topic.num.partitions", "4");
      settings.put("transaction.state.log.replication.factor", "1");
      settings.put("transaction.state.log.min.isr", "1");
      settings.put("transaction.state.log.num.partitions", "4");
      settings.put("share.coordinator.state.topic.replication.factor", "1");
      settings.put("share.coordinator.state.topic.min.isr", "1");
      settings.put("group.initial.rebalance.delay.ms", "0");
      // the log cleaner's default buffer is 128 MB, far more than a laptop broker's compacted topics need
      settings.put("log.cleaner.dedupe.buffer.size", "2097152");
      settings.putAll(brokerProperties);
      KafkaConfig config = new KafkaConfig(settings, false);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(dataDirectory.toString()))
          .setMetadataLogDirectory(dataDirectory.toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      brokersAsString = HOST + ":" + port;
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(adminTimeoutSeconds, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      return socket.getLocalPort();
    }
  }

  /** Stops the server and deletes its data; safe to call twice. */
  @Override
  public synchronized void destroy() {
    if (!destroyed.compareAndSet(false, true)) {
      return;
    }
    stopAndDelete();
    if (brokerListProperty != null) {
      System.clearProperty(brokerListProperty);
    }
    if (temporary != null) {
      temporary.release();
      temporary = null;
    }
  }

  private void stopAndDelete() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
    if (dataDirectory != null) {
      try {
        Utils.delete(dataDirectory.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete the embedded Kafka broker's data in " + dataDirectory, e);
      }
      dataDirectory = null;
    }
  }

  @Override
  public String getBrokersAsString() {
    return brokersAsString;
  }

  @Override
  public int getPartitionsPerTopic() {
    return partitions;
  }

  @Override
  public Set<String> getTopics() {
    synchronized (topics) {
      return Set.copyOf(topics);
    }
  }

  @Override
  public void addTopics(String... names) {
    addTopics(Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toArray(NewTopic[]::new));
  }

  @Override
  public void addTopics(NewTopic... newTopics) {
    addTopicsWithResults(newTopics).forEach((name, failure) -> {
      throw new IllegalStateException("Cannot create topic " + name + " on the embedded Kafka broker", failure);
    });
  }

  @Override
  public Map<String, Exception> addTopicsWithResults(String... names) {
    return addTopicsWithResults(
        Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toArray(NewTopic[]::new));
  }

  @Override
  public Map<String, Exception> addTopicsWithResults(NewTopic... newTopics) {
    Map<String, Exception> failures = new LinkedHashMap<>();
    try (Admin admin = admin()) {
      admin.createTopics(List.of(newTopics)).values().forEach((name, future) -> {
        try {
          future.get(adminTimeoutSeconds, TimeUnit.SECONDS);
          topics.add(name);
        } catch (ExecutionException e) {
          failures.put(name, e.getCause() instanceof Exception cause ? cause : e);
        } catch (TimeoutException e) {
          failures.put(name, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failures.put(name, e);
        }
      });
    }
    return failures;
  }

  @Override
  public void consumeFromEmbeddedTopics(Consumer<?, ?> consumer, boolean seekToEnd, String... names) {
    Set<String> wanted = new LinkedHashSet<>(Arrays.asList(names));
    if (!getTopics().containsAll(wanted)) {
      wanted.removeAll(getTopics());
      throw new IllegalStateException("Topic(s) " + wanted + " are not among the embedded broker's " + getTopics());
    }
    AtomicBoolean assigned = new AtomicBoolean();
    consumer.subscribe(wanted, new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // nothing to commit: the consumer is the caller's
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assigned.set(true);
      }
    });
    long deadline = System.nanoTime() + ASSIGNMENT_TIMEOUT.toNanos();
    while (!assigned.get() && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(100));
    }
    if (!assigned.get()) {
      throw new IllegalStateException("No partition of " + wanted + " was assigned within " + ASSIGNMENT_TIMEOUT);
    }
    // the poll that saw the assignment may have returned records the caller never gets: read them again
    if (seekToEnd) {
      consumer.seekToEnd(consumer.assignment());
    } else {
      consumer.seekToBeginning(consumer.assignment());
    }
  }

  @Override
  public void consumeFromEmbeddedTopics(Consumer<?, ?> consumer, String... names) {
    consumeFromEmbeddedTopics(consumer, false, names);
  }

  @Override
  public void consumeFromAnEmbeddedTopic(Consumer<?, ?> consumer, boolean seekToEnd, String name) {
    consumeFromEmbeddedTopics(consumer, seekToEnd, name);
  }

  @Override
  public void consumeFromAnEmbeddedTopic(Consumer<?, ?> consumer, String name) {
    consumeFromEmbeddedTopics(consumer, false, name);
  }

  @Override
  public void consumeFromAllEmbeddedTopics(Consumer<?, ?> consumer, boolean seekToEnd) {
    consumeFromEmbeddedTopics(consumer, seekToEnd, getTopics().toArray(String[]::new));
  }

  @Override
  public void consumeFromAllEmbeddedTopics(Consumer<?, ?> consumer) {
    consumeFromAllEmbeddedTopics(consumer, false);
  }

  private Admin admin() {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokersAsString,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(adminTimeoutSeconds),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(adminTimeoutSeconds)));
  }
}
