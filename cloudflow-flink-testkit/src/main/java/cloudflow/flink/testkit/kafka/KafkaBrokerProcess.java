package cloudflow.flink.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one node) running as a separate
 * JVM, for tests that need to stop, kill or restart the broker while the application under test keeps
 * running, or that must not share a JVM with the broker.
 *
 * <p>The broker is started from the Kafka jars on a class path ({@code java.class.path} unless
 * {@link #withClasspath} says otherwise), so a test module only needs {@code kafka_2.13} and its
 * dependencies, which {@code spring-kafka-test} brings. The first {@link #start()} picks free ports
 * on 127.0.0.1 (client and controller listener, and one per listener added with {@link #withListener},
 * such as a SASL or SSL listener for security tests) and formats the storage under the given
 * directory; {@link #restart()} and later starts keep the ports, the cluster id and the data.
 *
 * <pre>{@code
 * try (KafkaBrokerProcess broker = new KafkaBrokerProcess(Path.of("target/broker")).start()) {
 *   broker.createTopic("in", 2);
 *   // run the application against broker.bootstrapServers() ...
 *   broker.stop();      // SIGTERM: a clean shutdown
 *   broker.restart();   // same ports, same data
 *   broker.kill();      // SIGKILL
 * }
 * }</pre>
 *
 * <p>The broker's output goes to {@link #logFile()}, with Logback (when it is on the class path) at
 * INFO level. Instances are not meant to be shared by threads that start and stop them concurrently,
 * although every method is safe to call from any thread.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

  /** Partitions of topics created without a partition count, unless {@link #withPartitions} says otherwise. */
  public static final int DEFAULT_PARTITIONS = 2;

  /** How long {@link #start()} waits for the broker to answer, unless {@link #withStartTimeout} says otherwise. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  private static final String HOST = "127.0.0.1";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final Path directory;
  private final Map<String, String> brokerProperties = new LinkedHashMap<>();
  /** Extra listeners: name → security protocol, in the order they were added. */
  private final Map<String, String> extraListeners = new LinkedHashMap<>();
  private final Map<String, Integer> extraListenerPorts = new LinkedHashMap<>();
  private final List<String> formatArguments = new ArrayList<>();
  private int partitions = DEFAULT_PARTITIONS;
  private String classpath = System.getProperty("java.class.path");
  private Duration startTimeout = DEFAULT_START_TIMEOUT;
  private String maxHeap = "512m";

  private int port;
  private int controllerPort;
  private String clusterId;
  private volatile Process process;
  private Thread shutdownHook;

  /**
   * Creates a broker that keeps its configuration, data and log in {@code directory} (created when
   * missing). Nothing starts before {@link #start()}.
   *
   * @param directory the broker's own directory; an existing one is emptied at the first start
   */
  public KafkaBrokerProcess(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
  }

  /**
   * Sets the broker's {@code num.partitions}: the partitions of topics created automatically or by
   * {@link #createTopic(String)}.
   *
   * @param partitions at least 1
   * @return this broker
   */
  public synchronized KafkaBrokerProcess withPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
    }
    requireNotStarted();
    this.partitions = partitions;
    return this;
  }

  /**
   * Adds or overrides a setting of the broker's {@code server.properties}, for example
   * {@code transaction.max.timeout.ms}. Listener, node and directory settings are the harness's own.
   *
   * @param key the Kafka broker setting
   * @param value its value
   * @return this broker
   */
  public synchronized KafkaBrokerProcess withBrokerProperty(String key, String value) {
    requireNotStarted();
    brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Adds a listener of its own on a free port of 127.0.0.1, next to the harness's {@code PLAINTEXT}
   * one (which stays the inter-broker listener and the one {@link #bootstrapServers()} and
   * {@link #start()} use), for example a {@code SASL_PLAINTEXT} or {@code SSL} listener for security
   * tests. Its settings ({@code listener.name.<name>.*}, {@code sasl.enabled.mechanisms},
   * {@code ssl.keystore.*}, ...) go in with {@link #withBrokerProperty}; its address is
   * {@link #bootstrapServers(String)}.
   *
   * <pre>{@code
   * new KafkaBrokerProcess(dir)
   *     .withListener("SASL", "SASL_PLAINTEXT")
   *     .withBrokerProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512")
   *     .withBrokerProperty("listener.name.sasl.scram-sha-512.sasl.jaas.config",
   *         "org.apache.kafka.common.security.scram.ScramLoginModule required;")
   *     .withFormatArguments("--add-scram", "SCRAM-SHA-512=[name=alice,password=alice-secret]")
   *     .start();
   * }</pre>
   *
   * @param name the listener name, upper case letters, digits and underscores (not {@code PLAINTEXT}
   *     or {@code CONTROLLER})
   * @param securityProtocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
   * @return this broker
   */
  public synchronized KafkaBrokerProcess withListener(String name, String securityProtocol) {
    requireNotStarted();
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(securityProtocol, "securityProtocol");
    if (!name.matches("[A-Z][A-Z0-9_]*") || name.equals("PLAINTEXT") || name.equals("CONTROLLER")) {
      throw new IllegalArgumentException("Invalid or reserved listener name: " + name);
    }
    if (!List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(securityProtocol)) {
      throw new IllegalArgumentException("Unknown security protocol: " + securityProtocol);
    }
    extraListeners.put(name, securityProtocol);
    return this;
  }

  /**
   * Adds arguments to the {@code kafka.tools.StorageTool format} command of the first start, for
   * example {@code --add-scram SCRAM-SHA-512=[name=alice,password=alice-secret]} to create SCRAM
   * users before the broker starts.
   *
   * @param arguments extra arguments, each one word of the command line
   * @return this broker
   */
  public synchronized KafkaBrokerProcess withFormatArguments(String... arguments) {
    requireNotStarted();
    for (String argument : arguments) {
      formatArguments.add(Objects.requireNonNull(argument, "argument"));
    }
    return this;
  }

  /**
   * Sets the class path the broker process runs with; it must hold {@code kafka_2.13} and its
   * dependencies. The default is this JVM's {@code java.class.path}.
   *
   * @param classpath a class path in the platform's format
   * @return this broker
   */
  public synchronized KafkaBrokerProcess withClasspath(String classpath) {
    requireNotStarted();
    this.classpath = Objects.requireNonNull(classpath, "classpath");
    return this;
  }

  /**
   * Sets how long {@link #start()} and {@link #restart()} wait for the broker to answer.
   *
   * @param timeout a positive duration
   * @return this broker
   */
  public synchronized KafkaBrokerProcess withStartTimeout(Duration timeout) {
    this.startTimeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * Sets the broker JVM's maximum heap ({@code -Xmx}), {@code 512m} by default.
   *
   * @param maxHeap a size in the JVM's format, like {@code 256m} or {@code 1g}
   * @return this broker
   */
  public synchronized KafkaBrokerProcess withMaxHeap(String maxHeap) {
    requireNotStarted();
    this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
    return this;
  }

  /**
   * Starts the broker process and waits until a plain admin client can list its topics. The first
   * start picks the ports and formats the storage; later ones reuse both.
   *
   * @return this broker
   * @throws IllegalStateException when the broker is already running, exits, or does not answer
   *     within the start timeout (the message holds the end of its log)
   */
  public synchronized KafkaBrokerProcess start() {
    if (isRunning()) {
      throw new IllegalStateException("The broker is already running at " + bootstrapServers());
    }
    try {
      if (clusterId == null) {
        prepareFirstStart();
      }
      List<String> command = javaCommand();
      command.add("kafka.Kafka");
      command.add(serverProperties().toString());
      Files.writeString(logFile(), "---- starting the broker on " + HOST + ":" + port + " ----\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      process = new ProcessBuilder(command)
          .directory(directory.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
          .start();
      registerShutdownHook();
      awaitReady();
      return this;
    } catch (IOException e) {
      destroyProcess();
      throw new UncheckedIOException("Cannot start the Kafka broker in " + directory, e);
    } catch (RuntimeException e) {
      destroyProcess();
      throw e;
    }
  }

  /**
   * Stops the broker with SIGTERM (a controlled shutdown) and waits for its process to exit; kills it
   * if it has not exited within a minute. Does nothing when the broker is not running.
   */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /**
   * Kills the broker process (SIGKILL), as a crash would, and waits for it to be gone. Does nothing
   * when the broker is not running.
   */
  public synchronized void kill() {
    destroyProcess();
  }

  /**
   * Stops the broker if it runs (SIGTERM), then starts it again on the same ports with the same data.
   *
   * @return this broker
   */
  public synchronized KafkaBrokerProcess restart() {
    if (clusterId == null) {
      throw new IllegalStateException("The broker was never started");
    }
    stop();
    return start();
  }

  /**
   * The {@code bootstrap.servers} of the broker, {@code 127.0.0.1:<port>}. Stays the same across
   * restarts.
   *
   * @throws IllegalStateException before the first start
   */
  public synchronized String bootstrapServers() {
    if (clusterId == null) {
      throw new IllegalStateException("The broker was never started");
    }
    return HOST + ":" + port;
  }

  /**
   * The {@code bootstrap.servers} of a listener added with {@link #withListener}, or of the
   * harness's own {@code PLAINTEXT} listener. Stays the same across restarts.
   *
   * @param listenerName the listener's name
   * @throws IllegalStateException before the first start
   * @throws IllegalArgumentException for an unknown listener
   */
  public synchronized String bootstrapServers(String listenerName) {
    if (clusterId == null) {
      throw new IllegalStateException("The broker was never started");
    }
    if ("PLAINTEXT".equals(listenerName)) {
      return bootstrapServers();
    }
    Integer listenerPort = extraListenerPorts.get(listenerName);
    if (listenerPort == null) {
      throw new IllegalArgumentException("No listener " + listenerName + "; listeners: PLAINTEXT, " + extraListeners.keySet());
    }
    return HOST + ":" + listenerPort;
  }

  /** Whether the broker process is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The operating system process id of the running broker, if it runs. */
  public synchronized Optional<Long> pid() {
    return isRunning() ? Optional.of(process.pid()) : Optional.empty();
  }

  /** The file the broker's output goes to, over all its starts. */
  public Path logFile() {
    return directory.resolve("broker.log");
  }

  /** The directory holding the broker's configuration, data and log. */
  public Path directory() {
    return directory;
  }

  /**
   * The last lines of the broker's log, for a test's failure message.
   *
   * @param lines how many lines at most
   */
  public String logTail(int lines) {
    try {
      if (!Files.exists(logFile())) {
        return "(no broker log yet)";
      }
      List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + logFile() + ": " + e + ")";
    }
  }

  /**
   * Creates a topic with the broker's default partition count ({@link #withPartitions}).
   *
   * @param name the topic
   */
  public void createTopic(String name) {
    createTopic(name, partitions);
  }

  /**
   * Creates a topic with replication factor 1 and waits until it exists; a topic that already exists
   * is left as it is.
   *
   * @param name the topic
   * @param partitions its number of partitions
   * @throws IllegalStateException when the broker does not create it within 30 s
   */
  public void createTopic(String name, int partitions) {
    try (Admin admin = Admin.create(adminProperties())) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create topic " + name + ": " + e.getCause(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("Topic " + name + " not created within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    }
  }

  /**
   * Properties for a Kafka {@link Admin} client of this broker (bootstrap servers and short
   * timeouts); a test may add its own before creating the client.
   */
  public Properties adminProperties() {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    return properties;
  }

  /** Kills the broker if it runs ({@link #kill()}); its directory is left for post-mortems. */
  @Override
  public synchronized void close() {
    destroyProcess();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException jvmShuttingDown) {
        // the hook runs anyway
      }
      shutdownHook = null;
    }
  }

  @Override
  public synchronized String toString() {
    return "KafkaBrokerProcess[" + (clusterId == null ? "not started" : bootstrapServers()) + ", "
        + (isRunning() ? "running, pid " + process.pid() : "not running") + ", " + directory + "]";
  }

  // --- internals ---

  private void requireNotStarted() {
    if (clusterId != null) {
      throw new IllegalStateException("The broker has been started already; configure it before start()");
    }
  }

  private Path serverProperties() {
    return directory.resolve("server.properties");
  }

  private Path dataDirectory() {
    return directory.resolve("data");
  }

  private void prepareFirstStart() throws IOException {
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalStateException("No class path to run the broker with (java.class.path is empty)");
    }
    deleteRecursively(directory);
    Files.createDirectories(dataDirectory());
    int[] ports = freePorts(2 + extraListeners.size());
    port = ports[0];
    controllerPort = ports[1];
    int next = 2;
    for (String listener : extraListeners.keySet()) {
      extraListenerPorts.put(listener, ports[next++]);
    }
    Files.writeString(serverProperties(), serverPropertiesText(), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve("logback-broker.xml"), LOGBACK, StandardCharsets.UTF_8);
    String id = Uuid.randomUuid().toString();
    format(id);
    clusterId = id;
  }

  private String serverPropertiesText() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("process.roles", "broker,controller");
    settings.put("node.id", "1");
    settings.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    StringBuilder listeners = new StringBuilder("PLAINTEXT://" + HOST + ":" + port);
    StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    extraListeners.forEach((name, protocol) -> {
      listeners.append(',').append(name).append("://").append(HOST).append(':').append(extraListenerPorts.get(name));
      protocols.append(',').append(name).append(':').append(protocol);
    });
    settings.put("listeners", listeners + ",CONTROLLER://" + HOST + ":" + controllerPort);
    settings.put("advertised.listeners", listeners.toString());
    settings.put("controller.listener.names", "CONTROLLER");
    settings.put("inter.broker.listener.name", "PLAINTEXT");
    settings.put("listener.security.protocol.map", protocols.toString());
    settings.put("log.dirs", dataDirectory().toString());
    settings.put("num.partitions", String.valueOf(partitions));
    settings.put("default.replication.factor", "1");
    settings.put("offsets.topic.replication.factor", "1");
    settings.put("offsets.topic.num.partitions", "4");
    settings.put("transaction.state.log.replication.factor", "1");
    settings.put("transaction.state.log.min.isr", "1");
    settings.put("transaction.state.log.num.partitions", "4");
    settings.put("share.coordinator.state.topic.replication.factor", "1");
    settings.put("share.coordinator.state.topic.min.isr", "1");
    settings.put("group.initial.rebalance.delay.ms", "0");
    settings.putAll(brokerProperties);
    StringBuilder text = new StringBuilder("# written by ").append(KafkaBrokerProcess.class.getName()).append('\n');
    settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return text.toString();
  }

  /** {@code kafka.tools.StorageTool format}: with controller.quorum.voters set, no --standalone. */
  private void format(String id) throws IOException {
    List<String> command = javaCommand();
    command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", id, "-c", serverProperties().toString()));
    command.addAll(formatArguments);
    Path output = directory.resolve("format.log");
    Process format = new ProcessBuilder(command)
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    try {
      if (!format.waitFor(60, TimeUnit.SECONDS)) {
        format.destroyForcibly();
        throw new IllegalStateException("Formatting the Kafka storage took more than 60 s; see " + output);
      }
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while formatting the Kafka storage", e);
    }
    if (format.exitValue() != 0) {
      String text = Files.readString(output, StandardCharsets.UTF_8);
      throw new IllegalStateException("Formatting the Kafka storage failed (exit " + format.exitValue() + "):\n"
          + text.substring(Math.max(0, text.length() - 4000)));
    }
  }

  private List<String> javaCommand() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx" + maxHeap);
    command.add("-Djava.awt.headless=true");
    command.add("-Dlogback.configurationFile=" + directory.resolve("logback-broker.xml"));
    command.add("-cp");
    command.add(classpath);
    return command;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    awaitListening(deadline);
    Properties properties = adminProperties();
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    properties.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
    properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
    Exception last = null;
    try (Admin admin = Admin.create(properties)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("The Kafka broker exited with " + process.exitValue()
              + " while starting; end of " + logFile() + ":\n" + logTail(60));
        }
        try {
          admin.listTopics().names().get(3, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
          last = e;
          sleep(100);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
    }
    throw new IllegalStateException("The Kafka broker did not answer within " + startTimeout + " (last error: " + last
        + "); end of " + logFile() + ":\n" + logTail(60));
  }

  /** Waits until the client port accepts connections, so the admin client does not log failed attempts. */
  private void awaitListening(long deadline) {
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(HOST, port), 500);
        return;
      } catch (IOException notYet) {
        try {
          sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
      }
    }
  }

  private static void sleep(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }

  private void destroyProcess() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private void registerShutdownHook() {
    if (shutdownHook == null) {
      shutdownHook = new Thread(() -> {
        Process running = process;
        if (running != null) {
          running.destroyForcibly();
        }
      }, "kafka-broker-process-killer");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static final String LOGBACK = """
      <configuration>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
        </appender>
        <logger name="org.apache.kafka.clients" level="WARN"/>
        <logger name="org.apache.kafka.common.config" level="WARN"/>
        <logger name="kafka.server.KafkaConfig" level="WARN"/>
        <root level="INFO"><appender-ref ref="OUT"/></root>
      </configuration>
      """;
}
