package cloudflow.flink.spring.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.spring.deploy.StreamletSettings.Mode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * {@link ManifestGenerator}: the objects of each kind with their defaults, each setting at application
 * level and overridden per streamlet, and the message for each bad value. Objects are read back from
 * the generated YAML, so the writer is exercised too.
 */
@SuppressWarnings("unchecked")
class ManifestGeneratorTest {

  private static final ApplicationFacts APP = new ApplicationFacts(
      "shop", "com.example.ShopApplication", Map.of("SPRING_KAFKA_BOOTSTRAPSERVERS", "kafka:9092"), List.of(),
      Duration.ofSeconds(30));

  private final DeploymentSettings settings = new DeploymentSettings();

  // ---- plain mode ----

  @Test
  void plainDeploymentRunsTheStreamletInOnePodWithProbesAndDefaults() {
    Map<String, Object> deployment = object(generate("orders"), "Deployment/shop-orders");
    assertThat(at(deployment, "spec.replicas")).isEqualTo(1);
    assertThat(at(deployment, "spec.strategy.type")).isEqualTo("Recreate");
    assertThat(at(deployment, "spec.selector.matchLabels")).isEqualTo(
        Map.of("app.kubernetes.io/name", "shop", "app.kubernetes.io/component", "orders"));
    assertThat(at(deployment, "spec.template.spec.terminationGracePeriodSeconds")).isEqualTo(60);
    Map<String, Object> container = container(deployment);
    assertThat(container.get("image")).isEqualTo("shop:latest");
    assertThat(container.get("imagePullPolicy")).isEqualTo("IfNotPresent");
    assertThat(container.get("args")).isEqualTo(List.of("--streamlet=orders", "--cloudflow.streamlets.orders.parallelism=1"));
    assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
    assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
    assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
    assertThat(at(container, "resources")).isEqualTo(Map.of(
        "requests", Map.of("cpu", "500m", "memory", "768Mi"), "limits", Map.of("memory", "768Mi")));
    assertThat(env(container)).containsEntry("JAVA_TOOL_OPTIONS", "-Xmx512m -XX:+ExitOnOutOfMemoryError")
        .containsEntry("CLOUDFLOW_CHECKPOINTING_DIRECTORY", "/checkpoints");
    assertThat(container.get("envFrom")).isEqualTo(List.of(
        Map.of("configMapRef", Map.of("name", "shop-config")),
        Map.of("secretRef", Map.of("name", "shop-credentials", "optional", true))));
    assertThat(at(deployment, "spec.template.metadata.annotations")).isEqualTo(Map.of(
        "prometheus.io/scrape", "true", "prometheus.io/path", "/actuator/prometheus", "prometheus.io/port", "8080"));
    assertThat(container.get("volumeMounts")).isEqualTo(List.of(Map.of("name", "checkpoints", "mountPath", "/checkpoints")));
    assertThat(at(deployment, "spec.template.spec.volumes")).isEqualTo(List.of(
        Map.of("name", "checkpoints", "persistentVolumeClaim", Map.of("claimName", "shop-orders-checkpoints"))));
  }

  @Test
  void plainClaimIsReadWriteOncePerStreamletWithSizeAndClass() {
    Map<String, Object> claim = object(generate("orders"), "PersistentVolumeClaim/shop-orders-checkpoints");
    assertThat(at(claim, "spec")).isEqualTo(Map.of(
        "accessModes", List.of("ReadWriteOnce"), "resources", Map.of("requests", Map.of("storage", "1Gi"))));

    settings.getCheckpoints().setClaimSize("3Gi");
    settings.getStreamlets().put("orders", streamlet(s -> s.getCheckpoints().setStorageClass("fast-ssd")));
    claim = object(generate("orders", "payments"), "PersistentVolumeClaim/shop-orders-checkpoints");
    assertThat(at(claim, "spec.storageClassName")).isEqualTo("fast-ssd");
    assertThat(at(claim, "spec.resources.requests.storage")).isEqualTo("3Gi");
    assertThat(at(object(generate("orders", "payments"), "PersistentVolumeClaim/shop-payments-checkpoints"), "spec"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).doesNotContainKey("storageClassName");
  }

  @Test
  void serviceSelectsTheStreamletsPodOnItsHttpPort() {
    Map<String, Object> service = object(generate("orders"), "Service/shop-orders");
    assertThat(at(service, "spec.selector")).isEqualTo(Map.of("app.kubernetes.io/name", "shop", "app.kubernetes.io/component", "orders"));
    assertThat(at(service, "spec.ports")).isEqualTo(List.of(Map.of("name", "http", "port", 8080, "targetPort", "http")));

    settings.setHttpPort(9000);
    Map<String, Map<String, Object>> objects = generate("orders");
    assertThat(at(object(objects, "Service/shop-orders"), "spec.ports[0].port")).isEqualTo(9000);
    assertThat(at(object(objects, "ConfigMap/shop-config"), "data.SERVER_PORT")).isEqualTo("9000");
  }

  @Test
  void configMapHoldsKafkaProfilesAndApplicationEnvironment() {
    settings.getEnv().put("TZ", "UTC");
    Map<String, Object> configMap = object(generate(new ApplicationFacts("shop", "Main",
        Map.of("SPRING_KAFKA_BOOTSTRAPSERVERS", "kafka:9092"), List.of("prod", "eu"), Duration.ofSeconds(30)),
        List.of(StreamletFacts.of("orders", 1))), "ConfigMap/shop-config");
    assertThat(configMap.get("data")).isEqualTo(Map.of("SPRING_KAFKA_BOOTSTRAPSERVERS", "kafka:9092",
        "CLOUDFLOW_EMBEDDEDKAFKA_ENABLED", "false", "SPRING_PROFILES_ACTIVE", "prod,eu", "TZ", "UTC"));
  }

  @Test
  void everyObjectCarriesTheApplicationsLabelsAndStreamletObjectsTheirComponent() {
    settings.getLabels().put("team", "payments");
    settings.getStreamlets().put("orders", streamlet(s -> s.getLabels().put("tier", "gold")));
    settings.getStreamlets().put("audit", streamlet(s -> s.setMode(Mode.FLINK)));
    generate("orders", "audit").forEach((key, object) -> {
      Map<String, Object> labels = (Map<String, Object>) at(object, "metadata.labels");
      assertThat(labels).as(key).containsEntry("app.kubernetes.io/part-of", "shop").containsEntry("app.kubernetes.io/name", "shop")
          .containsEntry("team", "payments");
      if (!key.startsWith("ConfigMap")) {
        assertThat(labels).as(key).containsKey("app.kubernetes.io/component");
      }
    });
    Map<String, Object> deployment = object(generate("orders", "audit"), "Deployment/shop-orders");
    assertThat((Map<String, Object>) at(deployment, "spec.template.metadata.labels")).containsEntry("tier", "gold").containsEntry("team", "payments");
    assertThat((Map<String, Object>) at(object(generate("orders", "audit"), "FlinkDeployment/shop-audit"), "metadata.labels"))
        .doesNotContainKey("tier");
  }

  @Test
  void memoryLimitDerivesTheHeapUnlessTheHeapIsSet() {
    settings.setMemoryLimit("1536Mi");
    settings.getStreamlets().put("payments", streamlet(s -> s.setHeap("700m")));
    Map<String, Map<String, Object>> objects = generate("orders", "payments");
    assertThat(env(container(object(objects, "Deployment/shop-orders")))).containsEntry("JAVA_TOOL_OPTIONS", "-Xmx1024m -XX:+ExitOnOutOfMemoryError");
    assertThat(env(container(object(objects, "Deployment/shop-payments")))).containsEntry("JAVA_TOOL_OPTIONS", "-Xmx700m -XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void resourcesImageAndPolicyDefaultForTheApplicationAndOverridePerStreamlet() {
    settings.setImage("registry/shop:1.0");
    settings.setCpuRequest("250m");
    settings.setMemoryLimit("1Gi");
    settings.getStreamlets().put("payments", streamlet(s -> {
      s.setImage("registry/shop:1.1");
      s.setImagePullPolicy("Always");
      s.setCpuRequest("2");
      s.setCpuLimit("4");
      s.setMemoryRequest("1Gi");
      s.setMemoryLimit("2Gi");
    }));
    Map<String, Map<String, Object>> objects = generate("orders", "payments");
    Map<String, Object> orders = container(object(objects, "Deployment/shop-orders"));
    assertThat(orders.get("image")).isEqualTo("registry/shop:1.0");
    assertThat(orders.get("resources")).isEqualTo(Map.of("requests", Map.of("cpu", "250m", "memory", "1Gi"), "limits", Map.of("memory", "1Gi")));
    Map<String, Object> payments = container(object(objects, "Deployment/shop-payments"));
    assertThat(payments.get("image")).isEqualTo("registry/shop:1.1");
    assertThat(payments.get("imagePullPolicy")).isEqualTo("Always");
    assertThat(payments.get("resources")).isEqualTo(Map.of(
        "requests", Map.of("cpu", "2", "memory", "1Gi"), "limits", Map.of("cpu", "4", "memory", "2Gi")));
  }

  @Test
  void streamletEnvironmentGoesIntoItsContainerAndTheApplicationsIntoTheConfigMap() {
    settings.getEnv().put("TZ", "UTC");
    settings.getStreamlets().put("orders", streamlet(s -> s.getEnv().put("TZ", "Europe/Amsterdam")));
    Map<String, Map<String, Object>> objects = generate("orders", "payments");
    assertThat(env(container(object(objects, "Deployment/shop-orders")))).containsEntry("TZ", "Europe/Amsterdam");
    assertThat(env(container(object(objects, "Deployment/shop-payments")))).doesNotContainKey("TZ");
    assertThat(at(object(objects, "ConfigMap/shop-config"), "data.TZ")).isEqualTo("UTC");
  }

  @Test
  void annotationsAreAddedToThePods() {
    settings.getAnnotations().put("example.com/owner", "team-a");
    settings.getStreamlets().put("orders", streamlet(s -> s.getAnnotations().put("example.com/owner", "team-b")));
    Map<String, Object> annotations = (Map<String, Object>) at(object(generate("orders"), "Deployment/shop-orders"), "spec.template.metadata.annotations");
    assertThat(annotations).containsEntry("example.com/owner", "team-b").containsEntry("prometheus.io/scrape", "true");
  }

  @Test
  void extraVolumesOfEachKindAreMounted() {
    settings.getVolumes().put("tls", volume(v -> {
      v.setSecret("shop-tls");
      v.setMountPath("/etc/tls");
    }));
    settings.getStreamlets().put("orders", streamlet(s -> {
      s.getVolumes().put("rules", volume(v -> {
        v.setConfigMap("shop-rules");
        v.setMountPath("/etc/rules");
      }));
      s.getVolumes().put("scratch", volume(v -> {
        v.setClaim("shop-scratch");
        v.setMountPath("/scratch");
      }));
    }));
    Map<String, Object> deployment = object(generate("orders", "payments"), "Deployment/shop-orders");
    assertThat((List<Object>) at(deployment, "spec.template.spec.volumes")).contains(
        Map.of("name", "tls", "secret", Map.of("secretName", "shop-tls")),
        Map.of("name", "rules", "configMap", Map.of("name", "shop-rules")),
        Map.of("name", "scratch", "persistentVolumeClaim", Map.of("claimName", "shop-scratch")));
    assertThat((List<Object>) container(deployment).get("volumeMounts")).contains(
        Map.of("name", "tls", "mountPath", "/etc/tls", "readOnly", true),
        Map.of("name", "rules", "mountPath", "/etc/rules", "readOnly", true),
        Map.of("name", "scratch", "mountPath", "/scratch", "readOnly", false));
    assertThat((List<Object>) at(object(generate("orders", "payments"), "Deployment/shop-payments"), "spec.template.spec.volumes"))
        .hasSize(2); // checkpoints and tls
  }

  @Test
  void schedulingAndServiceAccount() {
    settings.getNodeSelector().put("pool", "streaming");
    settings.setTolerations(List.of(toleration("dedicated", "Equal", "streaming", "NoSchedule")));
    settings.getStreamlets().put("orders", streamlet(s -> {
      s.setTolerations(List.of(toleration("spot", "Exists", null, null)));
      s.setServiceAccount("orders-reader");
    }));
    Map<String, Map<String, Object>> objects = generate("orders", "payments");
    Map<String, Object> orders = object(objects, "Deployment/shop-orders");
    assertThat(at(orders, "spec.template.spec.nodeSelector")).isEqualTo(Map.of("pool", "streaming"));
    assertThat(at(orders, "spec.template.spec.tolerations")).isEqualTo(List.of(Map.of("key", "spot", "operator", "Exists")));
    assertThat(at(orders, "spec.template.spec.serviceAccountName")).isEqualTo("orders-reader");
    Map<String, Object> payments = object(objects, "Deployment/shop-payments");
    assertThat(at(payments, "spec.template.spec.tolerations")).isEqualTo(List.of(
        Map.of("key", "dedicated", "operator", "Equal", "value", "streaming", "effect", "NoSchedule")));
    assertThat((Map<String, Object>) at(payments, "spec.template.spec")).doesNotContainKey("serviceAccountName");
  }

  @Test
  void sharedClaimIsOneReadWriteManyClaimForAllStreamlets() {
    settings.getCheckpoints().setShared(true);
    Map<String, Map<String, Object>> objects = generate("orders", "payments");
    assertThat(objects).containsKey("PersistentVolumeClaim/shop-checkpoints")
        .doesNotContainKeys("PersistentVolumeClaim/shop-orders-checkpoints", "PersistentVolumeClaim/shop-payments-checkpoints");
    assertThat(at(object(objects, "PersistentVolumeClaim/shop-checkpoints"), "spec.accessModes")).isEqualTo(List.of("ReadWriteMany"));
    assertThat(at(object(objects, "Deployment/shop-payments"), "spec.template.spec.volumes[0].persistentVolumeClaim.claimName"))
        .isEqualTo("shop-checkpoints");
  }

  @Test
  void checkpointUriReplacesTheClaim() {
    settings.getStreamlets().put("orders", streamlet(s -> s.getCheckpoints().setUri("s3://bucket/shop/")));
    Map<String, Map<String, Object>> objects = generate("orders", "payments");
    assertThat(objects).doesNotContainKey("PersistentVolumeClaim/shop-orders-checkpoints").containsKey("PersistentVolumeClaim/shop-payments-checkpoints");
    Map<String, Object> container = container(object(objects, "Deployment/shop-orders"));
    assertThat(env(container)).containsEntry("CLOUDFLOW_CHECKPOINTING_DIRECTORY", "s3://bucket/shop");
    assertThat(container).doesNotContainKey("volumeMounts");
  }

  // ---- flink mode ----

  @Test
  void flinkDeploymentRunsTheStreamletAsTheJobOfAnApplicationCluster() {
    settings.setMode(Mode.FLINK);
    Map<String, Map<String, Object>> objects = generate(APP, List.of(StreamletFacts.of("orders", 3)));
    Map<String, Object> flink = object(objects, "FlinkDeployment/shop-orders");
    assertThat(at(flink, "spec.image")).isEqualTo("shop-flink:latest");
    assertThat(at(flink, "spec.serviceAccount")).isEqualTo("flink");
    assertThat(at(flink, "spec.job")).isEqualTo(Map.of(
        "jarURI", "local:///opt/flink/usrlib/shop.jar",
        "entryClass", "com.example.ShopApplication",
        "args", List.of("--streamlet=orders", "--spring.main.web-application-type=none"),
        "parallelism", 3,
        "upgradeMode", "last-state",
        "state", "running"));
    assertThat(at(flink, "spec.taskManager")).isEqualTo(Map.of("replicas", 3, "resource", Map.of("cpu", 1.0, "memory", "1024m")));
    assertThat(at(flink, "spec.jobManager")).isEqualTo(Map.of("replicas", 1, "resource", Map.of("cpu", 0.5, "memory", "1024m")));
    Map<String, Object> configuration = (Map<String, Object>) at(flink, "spec.flinkConfiguration");
    assertThat(configuration)
        .containsEntry("taskmanager.numberOfTaskSlots", "1")
        .containsEntry("state.backend.type", "hashmap")
        .containsEntry("execution.checkpointing.interval", "10 s")
        .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION")
        .containsEntry("execution.checkpointing.dir", "file:///flink-data/checkpoints")
        .containsEntry("execution.checkpointing.savepoint-dir", "file:///flink-data/savepoints")
        .containsEntry("high-availability.type", "kubernetes")
        .containsEntry("high-availability.storageDir", "file:///flink-data/ha")
        .containsEntry("restart-strategy.type", "exponential-delay")
        .containsEntry("metrics.reporter.cloudflow.factory.class", "cloudflow.flink.metrics.prometheus.StreamletPrometheusReporterFactory")
        .containsEntry("metrics.reporter.cloudflow.port", "9249");
    assertThat(container(at(flink, "spec.podTemplate")).get("name")).isEqualTo("flink-main-container");
    assertThat(at(flink, "spec.podTemplate.metadata.annotations")).isEqualTo(Map.of(
        "prometheus.io/scrape", "true", "prometheus.io/path", "/metrics", "prometheus.io/port", "9249"));
    assertThat(at(object(objects, "PersistentVolumeClaim/shop-orders-flink-data"), "spec")).isEqualTo(Map.of(
        "accessModes", List.of("ReadWriteMany"), "resources", Map.of("requests", Map.of("storage", "5Gi"))));
    assertThat(objects).doesNotContainKeys("Deployment/shop-orders", "Service/shop-orders");
  }

  @Test
  void flinkSettingsFollowTheStreamletsCheckpointingAndSlots() {
    settings.setMode(Mode.FLINK);
    settings.setTaskSlots(2);
    settings.setMemoryLimit("1536Mi");
    settings.setJobManagerMemory("2Gi");
    settings.setUpgradeMode(StreamletSettings.UpgradeMode.SAVEPOINT);
    settings.getFlinkConfiguration().put("restart-strategy.type", "fixed-delay");
    Map<String, Object> flink = object(generate(APP, List.of(
        new StreamletFacts("orders", 3, null, "rocksdb", 5, true))), "FlinkDeployment/shop-orders");
    assertThat(at(flink, "spec.taskManager")).isEqualTo(Map.of("replicas", 2, "resource", Map.of("cpu", 1.0, "memory", "1536m")));
    assertThat(at(flink, "spec.jobManager.resource.memory")).isEqualTo("2048m");
    assertThat(at(flink, "spec.job.upgradeMode")).isEqualTo("savepoint");
    assertThat((Map<String, Object>) at(flink, "spec.flinkConfiguration"))
        .containsEntry("taskmanager.numberOfTaskSlots", "2")
        .containsEntry("state.backend.type", "rocksdb")
        .containsEntry("execution.checkpointing.interval", "1 s") // exactly-once
        .containsEntry("execution.checkpointing.num-retained", "5")
        .containsEntry("restart-strategy.type", "fixed-delay")
        .doesNotContainKey("high-availability.type");

    Map<String, Object> explicit = object(generate(APP, List.of(
        new StreamletFacts("orders", 1, Duration.ofMillis(2500), null, null, true))), "FlinkDeployment/shop-orders");
    assertThat(at(explicit, "spec.flinkConfiguration.execution\\.checkpointing\\.interval")).isEqualTo("2500 ms");
  }

  @Test
  void modeIsOverriddenPerStreamletAndCheckpointUriGivesEachStreamletItsDirectories() {
    settings.getStreamlets().put("audit", streamlet(s -> {
      s.setMode(Mode.FLINK);
      s.setFlinkImage("registry/shop-flink:2");
      s.getCheckpoints().setUri("s3://bucket/shop");
    }));
    Map<String, Map<String, Object>> objects = generate("orders", "audit");
    assertThat(objects).containsKeys("Deployment/shop-orders", "FlinkDeployment/shop-audit")
        .doesNotContainKeys("PersistentVolumeClaim/shop-audit-flink-data", "Deployment/shop-audit");
    Map<String, Object> flink = object(objects, "FlinkDeployment/shop-audit");
    assertThat(at(flink, "spec.image")).isEqualTo("registry/shop-flink:2");
    assertThat(at(flink, "spec.flinkConfiguration.execution\\.checkpointing\\.dir")).isEqualTo("s3://bucket/shop/audit/checkpoints");
    assertThat((Map<String, Object>) at(flink, "spec.podTemplate.spec")).doesNotContainKey("volumes");
  }

  // ---- bad values ----

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad(s -> s.setMemoryLimit("lots"), "cloudflow.deployment.memory-limit: 'lots' is not a memory quantity"),
        bad(s -> s.getStreamlets().put("orders", streamlet(o -> o.setMemoryLimit("12"))),
            "cloudflow.deployment.streamlets.orders.memory-limit: '12' is less than the 64Mi"),
        bad(s -> s.setMemoryRequest("2Gi"), "cloudflow.deployment.memory-request: 2Gi is more than the memory limit 768Mi"),
        bad(s -> s.setCpuRequest("fast"), "cloudflow.deployment.cpu-request: 'fast' is not a CPU quantity"),
        bad(s -> s.getStreamlets().put("orders", streamlet(o -> o.setCpuLimit("0"))),
            "cloudflow.deployment.streamlets.orders.cpu-limit: '0' is not a CPU quantity"),
        bad(s -> s.setHeap("512"), "cloudflow.deployment.heap: '512' is not a JVM heap size"),
        bad(s -> s.setImage(" "), "cloudflow.deployment.image: must not be empty"),
        bad(s -> s.setImagePullPolicy("Sometimes"), "cloudflow.deployment.image-pull-policy: 'Sometimes' is not one of Always"),
        bad(s -> {
          s.setMode(Mode.FLINK);
          s.setTaskSlots(0);
        }, "cloudflow.deployment.task-slots: 0 is not at least 1"),
        bad(s -> s.getEnv().put("KAFKA_PASSWORD", "x"), "cloudflow.deployment.env.KAFKA_PASSWORD: looks like a secret"),
        bad(s -> s.getStreamlets().put("orders", streamlet(o -> o.getEnv().put("API_TOKEN", "x"))),
            "cloudflow.deployment.streamlets.orders.env.API_TOKEN: looks like a secret"),
        bad(s -> s.getEnv().put("1ST", "x"), "cloudflow.deployment.env.1ST: '1ST' is not an environment variable name"),
        bad(s -> s.getLabels().put("app.kubernetes.io/part-of", "other"), "cloudflow.deployment.labels.app.kubernetes.io/part-of: "),
        bad(s -> s.getStreamlets().put("orders", streamlet(o -> o.getLabels().put("tier", "gold class"))),
            "cloudflow.deployment.streamlets.orders.labels.tier: 'gold class' is not a label value"),
        bad(s -> s.getVolumes().put("tls", volume(v -> {
          v.setSecret("a");
          v.setClaim("b");
          v.setMountPath("/x");
        })), "cloudflow.deployment.volumes.tls: needs exactly one of secret, config-map or claim, has 2"),
        bad(s -> s.getVolumes().put("tls", volume(v -> {
          v.setSecret("a");
          v.setMountPath("etc/tls");
        })), "cloudflow.deployment.volumes.tls.mount-path: 'etc/tls' is not an absolute path"),
        bad(s -> s.setTolerations(List.of(toleration("k", "Matches", null, null))),
            "cloudflow.deployment.tolerations[0].operator: 'Matches' is not one of Exists, Equal"),
        bad(s -> s.getCheckpoints().setUri("bucket/checkpoints"), "cloudflow.deployment.checkpoints.uri: 'bucket/checkpoints' is not a file system URI"),
        bad(s -> s.getCheckpoints().setClaimSize("big"), "cloudflow.deployment.checkpoints.claim-size: 'big' is not a memory quantity"),
        bad(s -> s.setServiceAccount("Flink_SA"), "cloudflow.deployment.service-account: 'Flink_SA' is not a Kubernetes name"),
        bad(s -> s.setHttpPort(70000), "cloudflow.deployment.http-port: 70000 is not a port number"),
        bad(s -> s.getStreamlets().put("ordres", new StreamletSettings()),
            "cloudflow.deployment.streamlets.ordres: no streamlet 'ordres' in the blueprint; streamlets: orders"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badValuesAreRefusedNamingTheProperty(Consumer<DeploymentSettings> change, String message) {
    change.accept(settings);
    assertThatThrownBy(() -> generate("orders")).isInstanceOf(InvalidDeploymentSettingsException.class).hasMessageStartingWith(message);
  }

  @Test
  void namesThatCannotNameKubernetesObjectsAreRefused() {
    assertThatThrownBy(() -> generate(new ApplicationFacts("Shop_App", "Main", Map.of(), List.of(), Duration.ofSeconds(30)),
        List.of(StreamletFacts.of("orders", 1))))
        .hasMessageStartingWith("cloudflow.application-id: 'Shop_App' (or spring.application.name) cannot name Kubernetes objects");
    assertThatThrownBy(() -> generate("orders", "x".repeat(50)))
        .hasMessageStartingWith("blueprint.streamlets." + "x".repeat(50) + ": '" + "x".repeat(50) + "' cannot name Kubernetes objects")
        .hasMessageEndingWith("at most 46 characters");
  }

  // ---- helpers ----

  private static Arguments bad(Consumer<DeploymentSettings> change, String message) {
    return Arguments.of(change, message);
  }

  private Map<String, Map<String, Object>> generate(String... streamlets) {
    return generate(APP, Stream.of(streamlets).map(name -> StreamletFacts.of(name, 1)).toList());
  }

  /** The generated objects by kind/name, read back from the YAML of every file. */
  private Map<String, Map<String, Object>> generate(ApplicationFacts app, List<StreamletFacts> streamlets) {
    Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
    for (ManifestGenerator.ManifestFile file : new ManifestGenerator(settings, app).generate(streamlets)) {
      for (Object document : new Yaml().loadAll(file.yaml())) {
        Map<String, Object> object = (Map<String, Object>) document;
        objects.put(object.get("kind") + "/" + at(object, "metadata.name"), object);
      }
    }
    return objects;
  }

  private static Map<String, Object> object(Map<String, Map<String, Object>> objects, String key) {
    assertThat(objects).containsKey(key);
    return objects.get(key);
  }

  /** A value at a dotted path ({@code \\.} for a dot inside a key, {@code [i]} for list items). */
  static Object at(Object root, String path) {
    Object current = root;
    for (String part : path.split("(?<!\\\\)\\.")) {
      String key = part.replace("\\.", ".");
      int index = -1;
      if (key.endsWith("]")) {
        index = Integer.parseInt(key.substring(key.indexOf('[') + 1, key.length() - 1));
        key = key.substring(0, key.indexOf('['));
      }
      current = ((Map<String, Object>) current).get(key);
      if (index >= 0) {
        current = ((List<Object>) current).get(index);
      }
    }
    return current;
  }

  private static Map<String, Object> container(Object withPod) {
    Object spec = at(withPod, "kind").equals("Deployment") ? at(withPod, "spec.template.spec") : at(withPod, "spec");
    return (Map<String, Object>) ((List<Object>) at(spec, "containers")).get(0);
  }

  private static Map<String, String> env(Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object entry : (List<Object>) container.get("env")) {
      env.put((String) at(entry, "name"), (String) at(entry, "value"));
    }
    return env;
  }

  private static StreamletSettings streamlet(Consumer<StreamletSettings> change) {
    StreamletSettings settings = new StreamletSettings();
    change.accept(settings);
    return settings;
  }

  private static StreamletSettings.Volume volume(Consumer<StreamletSettings.Volume> change) {
    StreamletSettings.Volume volume = new StreamletSettings.Volume();
    change.accept(volume);
    return volume;
  }

  private static StreamletSettings.Toleration toleration(String key, String operator, String value, String effect) {
    StreamletSettings.Toleration toleration = new StreamletSettings.Toleration();
    toleration.setKey(key);
    toleration.setOperator(operator);
    toleration.setValue(value);
    toleration.setEffect(effect);
    return toleration;
  }
}
