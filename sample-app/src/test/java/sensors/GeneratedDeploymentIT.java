package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static sensors.ItSupport.awaitTrue;
import static sensors.ItSupport.freePort;

import cloudflow.flink.testkit.kafka.KafkaBrokerProcess;
import cloudflow.streamlets.avro.AvroCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import sensors.data.SensorReading;
import sensors.data.SensorSummary;

/**
 * The generated plain-mode Deployment of {@code processor} ({@code config/kubernetes}, which
 * {@link ConfigValidationTest} proves is what {@code --cloudflow.manifests} writes) started the way its
 * container starts: the image's {@code java -jar} with the container's {@code args}, and as environment
 * the generated ConfigMap's data (envFrom) overlaid by the container's {@code env}. Three things differ,
 * each what a cluster would provide: the broker address ({@link SharedBroker}, in place of the
 * ConfigMap's cluster address), a local folder where the claim would be mounted, and a free port in
 * place of the container port (SERVER_PORT, as a port mapping). A fourth keeps the shared broker's
 * users apart: topics and an application id of this test's own, as arguments after the container's.
 * It becomes ready on the startup probe's path, processes records, writes checkpoints into the claim's
 * folder, and stops with a savepoint on SIGTERM.
 */
class GeneratedDeploymentIT {

  private static final Path WORK = Path.of("target", "generated-deployment-it").toAbsolutePath();
  private static final int READINGS = 40;
  private static final String RUN = "generated-deployment-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  private static final String IN = RUN + "-readings";
  private static final String OUT = RUN + "-summaries";

  private static KafkaBrokerProcess broker;
  private final Path appJar = Path.of(System.getProperty("app.jar", "target/sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
  private final List<Process> processes = new ArrayList<>();
  private Path log;

  @BeforeAll
  static void startBroker() throws IOException {
    Files.createDirectories(WORK);
    broker = SharedBroker.get();
  }

  @AfterEach
  void stopProcesses() {
    processes.forEach(p -> {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    });
  }

  @Test
  void processorDeploymentBecomesReadyAndProcessesRecords() throws Exception {
    assertThat(appJar).as("packaged jar (run mvn package first)").isRegularFile();
    Container container = Container.of("processor");
    Path claim = Files.createDirectories(WORK.resolve("processor-claim-" + System.nanoTime()));
    int port = freePort();

    Map<String, String> env = new LinkedHashMap<>(container.env());
    assertThat(env).containsEntry("CLOUDFLOW_EMBEDDEDKAFKA_ENABLED", "false").containsKey("SPRING_KAFKA_BOOTSTRAPSERVERS");
    env.put("SPRING_KAFKA_BOOTSTRAPSERVERS", broker.bootstrapServers());
    env.put("CLOUDFLOW_CHECKPOINTING_DIRECTORY", container.mountedAt(env.get("CLOUDFLOW_CHECKPOINTING_DIRECTORY"), "checkpoints", claim));
    env.put("SERVER_PORT", String.valueOf(port));
    Process app = start(container, env);

    String readiness = container.probePath("startupProbe");
    awaitTrue(Duration.ofSeconds(120), () -> up(port, readiness, app),
        () -> readiness + " UP\n" + ItSupport.tail("processor", log, 60), 500);
    assertThat(up(port, container.probePath("livenessProbe"), app)).as("liveness").isTrue();

    produceReadings(broker.bootstrapServers());
    List<ConsumerRecord<byte[], byte[]>> summaries = ItSupport.consumeCommitted(
        broker.bootstrapServers(), new Properties(), OUT, READINGS, Duration.ofSeconds(90), Duration.ofSeconds(2));
    assertThat(summaries).as("one summary per reading\n%s", ItSupport.tail("processor", log, 40)).hasSize(READINGS);
    AvroCodec<SensorSummary> codec = new AvroCodec<>(SensorSummary.class);
    assertThat(summaries.stream().mapToLong(r -> codec.decode(r.value()).getCount()).max().orElse(0))
        .as("per-sensor counts from keyed state").isEqualTo(READINGS / 4);

    awaitTrue(Duration.ofSeconds(60), () -> hasFile(claim, "chk-"), () -> "a checkpoint in the claim's folder " + claim, 1000);
    app.destroy(); // SIGTERM, as Kubernetes stops the pod
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    assertThat(hasFile(claim, "savepoint-")).as("a savepoint in the claim's folder\n%s", ItSupport.tail("processor", log, 40)).isTrue();
  }

  private Process start(Container container, Map<String, String> env) throws IOException {
    log = WORK.resolve(container.streamlet() + ".log");
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    // the image's ENTRYPOINT (config/Dockerfile) without its class data sharing archive, then the container's args
    List<String> command = new ArrayList<>(List.of(java, "-jar", appJar.toString()));
    command.addAll(container.args());
    // on the shared broker: topics and an application id of this test's own
    command.addAll(List.of("--cloudflow.application-id=" + RUN, "--cloudflow.streamlets.processor.ports.in.topic=" + IN,
        "--cloudflow.streamlets.processor.ports.out.topic=" + OUT));
    ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    // a pod's environment is only what the manifest gives it (plus the image's): drop this JVM's Spring/Cloudflow variables
    builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("CLOUDFLOW_") || k.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private static boolean up(int port, String path, Process app) {
    if (!app.isAlive()) {
      throw new AssertionError("the streamlet exited with " + app.exitValue());
    }
    try {
      var response = ItSupport.get(port, path);
      return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
    } catch (IOException notYet) {
      return false;
    }
  }

  private static boolean hasFile(Path folder, String prefix) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
    } catch (IOException e) {
      return false;
    }
  }

  private static void produceReadings(String bootstrapServers) {
    AvroCodec<SensorReading> codec = new AvroCodec<>(SensorReading.class);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < READINGS; i++) {
        String sensor = "sensor-" + (i % 4);
        producer.send(new ProducerRecord<>(IN, sensor.getBytes(StandardCharsets.UTF_8),
            codec.encode(new SensorReading(sensor, System.currentTimeMillis(), 10.0 + i))));
      }
      producer.flush();
    }
  }

  /** The container of a streamlet's generated Deployment, and the ConfigMap it reads with envFrom. */
  @SuppressWarnings("unchecked")
  private record Container(String streamlet, Map<String, Object> spec, Map<String, Object> pod, Map<String, String> configMap) {

    static Container of(String streamlet) throws IOException {
      Path folder = ManifestChecks.CONFIG.resolve("kubernetes");
      Map<String, Object> deployment = find(folder.resolve(streamlet + ".yaml"), "Deployment");
      Map<String, Object> pod = (Map<String, Object>) at(deployment, "spec", "template", "spec");
      Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
      String configMapName = ((List<Map<String, Object>>) container.get("envFrom")).stream()
          .filter(source -> source.containsKey("configMapRef"))
          .map(source -> (String) at(source, "configMapRef", "name")).findFirst().orElseThrow();
      Map<String, String> configMap = null;
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
          for (Object document : new Yaml().loadAll(Files.readString(file))) {
            Map<String, Object> object = (Map<String, Object>) document;
            if ("ConfigMap".equals(object.get("kind")) && configMapName.equals(at(object, "metadata", "name"))) {
              configMap = (Map<String, String>) object.get("data");
            }
          }
        }
      }
      assertThat(configMap).as("ConfigMap %s in %s", configMapName, folder).isNotNull();
      return new Container(streamlet, container, pod, configMap);
    }

    List<String> args() {
      return (List<String>) spec.get("args");
    }

    /** envFrom the ConfigMap, overlaid by env (Kubernetes gives env precedence). */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>(configMap);
      ((List<Map<String, Object>>) spec.get("env")).forEach(e -> env.put((String) e.get("name"), String.valueOf(e.get("value"))));
      return env;
    }

    String probePath(String probe) {
      return (String) at(spec, probe, "httpGet", "path");
    }

    /** A path under the mount of a volume, moved to the local folder standing in for that volume. */
    String mountedAt(String path, String volume, Path folder) {
      String mountPath = ((List<Map<String, Object>>) spec.get("volumeMounts")).stream()
          .filter(m -> volume.equals(m.get("name"))).map(m -> (String) m.get("mountPath")).findFirst().orElseThrow();
      assertThat(path).as("a path on the %s volume", volume).startsWith(mountPath);
      assertThat((List<Map<String, Object>>) pod.get("volumes")).as("the %s volume is a claim", volume)
          .anyMatch(v -> volume.equals(v.get("name")) && v.containsKey("persistentVolumeClaim"));
      return folder + path.substring(mountPath.length());
    }

    private static Map<String, Object> find(Path file, String kind) throws IOException {
      for (Object document : new Yaml().loadAll(Files.readString(file))) {
        if (document instanceof Map<?, ?> map && kind.equals(map.get("kind"))) {
          return (Map<String, Object>) map;
        }
      }
      throw new AssertionError("no " + kind + " in " + file);
    }

    private static Object at(Object root, String... path) {
      Object current = root;
      for (String key : path) {
        current = ((Map<String, Object>) current).get(key);
      }
      return current;
    }
  }
}
