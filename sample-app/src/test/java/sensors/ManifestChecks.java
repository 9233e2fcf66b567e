package sensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Service;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;
import org.yaml.snakeyaml.Yaml;

/**
 * The checks of Kubernetes manifests shared by {@link ConfigValidationTest} (the sample's
 * {@code config/}) and {@link GeneratedManifestsTest} (manifests generated for other applications):
 * schemas (the Kubernetes client's models, the Flink operator's CRD), the objects fitting together,
 * labels, no secret values, and {@code kubectl apply --dry-run=client} against the discovery stub.
 */
final class ManifestChecks {

  static final Path CONFIG = locateConfig();
  private static final Gson gson = new Gson();
  /** Values that would be secrets if they appeared in a manifest. */
  private static final Pattern SECRET_VALUE = Pattern.compile("(?i).*(password\\s*=|LoginModule|BEGIN [A-Z ]*PRIVATE KEY|secret=).*");
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(jaas[._-]?config|password|passwd|secret|credential|token|keystore[._-]?key|ssl[._-]?key).*");

  private ManifestChecks() {}

  // ---- reading ----

  /** Every object of the YAML files in the folders, by "folder/file#index kind/name". */
  static Map<String, JsonObject> documents(Path... folders) throws IOException {
    Map<String, JsonObject> documents = new LinkedHashMap<>();
    for (Path folder : folders) {
      List<Path> files;
      try (Stream<Path> list = Files.list(folder)) {
        files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      }
      for (Path file : files) {
        int index = 0;
        for (Object document : new Yaml().loadAll(Files.readString(file))) {
          if (document == null) {
            continue;
          }
          JsonObject object = gson.toJsonTree(document).getAsJsonObject();
          String name = object.has("metadata") ? object.getAsJsonObject("metadata").get("name").getAsString() : "?";
          documents.put(folder.getFileName() + "/" + file.getFileName() + "#" + index++ + " " + object.get("kind").getAsString() + "/" + name, object);
        }
      }
    }
    assertThat(documents).as("manifests in %s", List.of(folders)).isNotEmpty();
    return documents;
  }

  static List<Path> yamlFiles(Path... folders) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path folder : folders) {
      try (Stream<Path> list = Files.list(folder)) {
        list.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
      }
    }
    return files;
  }

  // ---- schemas ----

  /** The schema errors of one object: Kubernetes types, or the FlinkDeployment CRD with its Pod templates. */
  static List<String> schemaErrors(JsonObject object) throws IOException {
    List<String> errors = new ArrayList<>();
    if ("FlinkDeployment".equals(object.get("kind").getAsString())) {
      JsonObject schema = JsonParser.parseString(
          Files.readString(CONFIG.resolve("schemas/flinkdeployment-v1beta1.schema.json"))).getAsJsonObject();
      validate(object, schema, "", errors);
      JsonObject spec = object.getAsJsonObject("spec");
      checkPodTemplate(spec.get("podTemplate"), "spec.podTemplate", errors);
      for (String manager : List.of("jobManager", "taskManager")) {
        if (spec.has(manager)) {
          checkPodTemplate(spec.getAsJsonObject(manager).get("podTemplate"), "spec." + manager + ".podTemplate", errors);
        }
      }
    } else {
      checkKubernetesType(object, errors);
    }
    return errors;
  }

  // ---- fitting together ----

  /**
   * Plain mode: each Deployment runs a streamlet of the blueprint in one pod with probes, resources,
   * Prometheus annotations, its checkpoint directory on a mounted volume (or a file system URI), and
   * refers only to objects that exist (an optional Secret may be absent: it is created by the user).
   *
   * @return the streamlets that have a Deployment
   */
  static Set<String> checkPlainDeployments(Map<String, JsonObject> documents, Set<String> streamlets) {
    Set<String> configMaps = names(documents, "ConfigMap");
    Set<String> secrets = names(documents, "Secret");
    Set<String> claims = names(documents, "PersistentVolumeClaim");
    List<V1Service> services = typed(documents, "Service", V1Service.class);
    Set<String> deployed = new HashSet<>();
    for (V1Deployment deployment : typed(documents, "Deployment", V1Deployment.class)) {
      String name = deployment.getMetadata().getName();
      V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      V1Container container = pod.getContainers().get(0);
      String streamlet = container.getArgs().stream().filter(a -> a.startsWith("--streamlet="))
          .map(a -> a.substring("--streamlet=".length())).findFirst().orElse(null);
      assertThat(streamlet).as("%s: --streamlet=<name> among the container's args", name).isIn(streamlets);
      deployed.add(streamlet);
      assertThat(deployment.getSpec().getReplicas()).as("%s: one pod per streamlet", name).isEqualTo(1);
      assertThat(deployment.getSpec().getStrategy().getType()).as("%s: never two pods of a streamlet", name).isEqualTo("Recreate");
      assertProbe(name, "readiness", container.getReadinessProbe(), "/actuator/health/readiness");
      assertProbe(name, "startup", container.getStartupProbe(), "/actuator/health/readiness");
      assertProbe(name, "liveness", container.getLivenessProbe(), "/actuator/health/liveness");
      assertThat(container.getResources().getRequests()).as("%s: requests", name).containsKeys("cpu", "memory");
      assertThat(container.getResources().getLimits()).as("%s: limits", name).containsKey("memory");
      container.getEnvFrom().forEach(source -> {
        if (source.getConfigMapRef() != null) {
          assertThat(configMaps).as("%s: ConfigMaps", name).contains(source.getConfigMapRef().getName());
        }
        if (source.getSecretRef() != null && !Boolean.TRUE.equals(source.getSecretRef().getOptional())) {
          assertThat(secrets).as("%s: Secrets", name).contains(source.getSecretRef().getName());
        }
      });
      assertThat(container.getEnv()).as("%s: env", name)
          .anyMatch(env -> env.getName().equals("CLOUDFLOW_CHECKPOINTING_DIRECTORY")
              && (env.getValue().contains("://")
                  || container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals(env.getValue()))));
      if (pod.getVolumes() != null) {
        pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null && v.getName().equals("checkpoints")).forEach(v ->
            assertThat(claims).as("%s: claims", name).contains(v.getPersistentVolumeClaim().getClaimName()));
      }
      Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
      assertThat(annotations).as("%s: Prometheus annotations", name)
          .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/actuator/prometheus");
      Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
      assertThat(services).as("%s: a Service selecting its pod", name).anyMatch(service ->
          labels.entrySet().containsAll(service.getSpec().getSelector().entrySet()));
    }
    return deployed;
  }

  /**
   * Flink mode: each FlinkDeployment runs a streamlet of the blueprint with only --streamlet and no web
   * server as job args, enough task slots for its parallelism, checkpoint storage, the streamlet metrics
   * reporter, and a claim that exists when it mounts one.
   *
   * @return the streamlets that have a FlinkDeployment
   */
  static Set<String> checkFlinkDeployments(Map<String, JsonObject> documents, Set<String> streamlets) {
    Set<String> claims = names(documents, "PersistentVolumeClaim");
    Set<String> deployed = new HashSet<>();
    for (JsonObject flink : ofKind(documents, "FlinkDeployment")) {
      JsonObject spec = flink.getAsJsonObject("spec");
      JsonObject job = spec.getAsJsonObject("job");
      List<String> args = gson.fromJson(job.get("args"), List.class);
      assertThat(args).as("job args").hasSize(2).contains("--spring.main.web-application-type=none");
      String streamlet = args.stream().filter(a -> a.startsWith("--streamlet=")).map(a -> a.substring("--streamlet=".length()))
          .findFirst().orElse(null);
      assertThat(streamlet).as("the job's --streamlet").isIn(streamlets);
      deployed.add(streamlet);
      int parallelism = job.get("parallelism").getAsInt();
      JsonObject configuration = spec.getAsJsonObject("flinkConfiguration");
      int slots = Integer.parseInt(configuration.get("taskmanager.numberOfTaskSlots").getAsString());
      int taskManagers = spec.getAsJsonObject("taskManager").get("replicas").getAsInt();
      assertThat(taskManagers * slots).as("%s: task slots for parallelism %d", streamlet, parallelism).isGreaterThanOrEqualTo(parallelism);
      assertThat(configuration.keySet()).as("%s: flinkConfiguration", streamlet).contains(
          "execution.checkpointing.interval", "execution.checkpointing.dir", "execution.checkpointing.savepoint-dir",
          "state.backend.type", "restart-strategy.type", "metrics.reporter.cloudflow.factory.class");
      assertThat(configuration.get("metrics.reporter.cloudflow.port").getAsString()).isEqualTo("9249");
      JsonObject pod = spec.getAsJsonObject("podTemplate").getAsJsonObject("spec");
      if (pod.has("volumes")) {
        pod.getAsJsonArray("volumes").forEach(v -> {
          JsonObject volume = v.getAsJsonObject();
          if (volume.get("name").getAsString().equals("flink-data")) {
            assertThat(claims).as("%s: claims", streamlet)
                .contains(volume.getAsJsonObject("persistentVolumeClaim").get("claimName").getAsString());
          }
        });
      }
    }
    return deployed;
  }

  /** Every object carries the application's labels. */
  static void checkLabels(Map<String, JsonObject> documents, String applicationId) {
    documents.forEach((key, object) -> {
      JsonObject labels = object.getAsJsonObject("metadata").getAsJsonObject("labels");
      assertThat(labels).as("%s: labels", key).isNotNull();
      assertThat(labels.get("app.kubernetes.io/part-of").getAsString()).as("%s: part-of", key).isEqualTo(applicationId);
      assertThat(labels.get("app.kubernetes.io/name").getAsString()).as("%s: name", key).isEqualTo(applicationId);
    });
  }

  /** No object is a Secret, and no value or key anywhere looks like a secret. */
  static void checkNoSecrets(Map<String, JsonObject> documents) {
    documents.forEach((key, object) -> {
      assertThat(object.get("kind").getAsString()).as(key).isNotEqualTo("Secret");
      List<String> found = new ArrayList<>();
      findSecrets(object, "", found);
      assertThat(found).as("%s: values that look like secrets", key).isEmpty();
    });
  }

  private static void findSecrets(JsonElement element, String path, List<String> found) {
    if (element.isJsonObject()) {
      element.getAsJsonObject().entrySet().forEach(e -> {
        // secretRef/secretName only name a Secret; a key like "password" holding a value is the leak
        if (SECRET_KEY.matcher(e.getKey()).matches() && e.getValue().isJsonPrimitive() && !e.getKey().equals("secretName")) {
          found.add(path + "." + e.getKey());
        }
        findSecrets(e.getValue(), path + "." + e.getKey(), found);
      });
    } else if (element.isJsonArray()) {
      JsonArray array = element.getAsJsonArray();
      for (int i = 0; i < array.size(); i++) {
        JsonElement item = array.get(i);
        // env entries: {name: X, value: Y}
        if (item.isJsonObject() && item.getAsJsonObject().has("name") && item.getAsJsonObject().has("value")
            && SECRET_KEY.matcher(item.getAsJsonObject().get("name").getAsString()).matches()) {
          found.add(path + "[" + i + "]");
        }
        findSecrets(item, path + "[" + i + "]", found);
      }
    } else if (element.isJsonPrimitive() && SECRET_VALUE.matcher(element.getAsString()).matches()) {
      found.add(path);
    }
  }

  // ---- kubectl ----

  /**
   * {@code kubectl apply --dry-run=client --validate=false} over the files against
   * {@code config/kubectl-discovery-stub.py} (see {@code config/validate.sh}); returns kubectl's output.
   */
  static String kubectlDryRun(List<Path> files) throws Exception {
    Path work = Files.createTempDirectory("kubectl-dry-run");
    Path portFile = work.resolve("port");
    Process stub = new ProcessBuilder("python3", CONFIG.resolve("kubectl-discovery-stub.py").toString(), portFile.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("stub.log").toFile()).start();
    try {
      for (int i = 0; i < 100 && (!Files.exists(portFile) || Files.size(portFile) == 0); i++) {
        Thread.sleep(100);
      }
      assertThat(portFile).as("the discovery stub wrote its port").isNotEmptyFile();
      Files.writeString(work.resolve("kubeconfig"), """
          apiVersion: v1
          kind: Config
          clusters:
            - name: discovery-stub
              cluster:
                server: http://127.0.0.1:%s
          contexts:
            - name: discovery-stub
              context: {cluster: discovery-stub, namespace: default}
          current-context: discovery-stub
          users: []
          """.formatted(Files.readString(portFile).trim()));
      List<String> command = new ArrayList<>(List.of("kubectl", "apply", "--dry-run=client", "--validate=false",
          "--cache-dir=" + work.resolve("cache")));
      files.forEach(f -> command.addAll(List.of("-f", f.toString())));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("kubectl.log").toFile());
      builder.environment().put("KUBECONFIG", work.resolve("kubeconfig").toString());
      Process kubectl = builder.start();
      assertThat(kubectl.waitFor(120, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
      String output = Files.readString(work.resolve("kubectl.log"), StandardCharsets.UTF_8);
      assertThat(kubectl.exitValue()).as("kubectl apply --dry-run=client:\n%s", output).isZero();
      return output;
    } finally {
      stub.destroy();
      stub.waitFor(10, TimeUnit.SECONDS);
      FileSystemUtils.deleteRecursively(work);
    }
  }

  static boolean onPath(String tool) {
    Collection<String> path = List.of(System.getenv().getOrDefault("PATH", "").split(":"));
    return path.stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  // ---- Kubernetes types ----

  /**
   * Checks an object against the model class of its kind (the official Kubernetes Java client's
   * generated {@code V1<Kind>}): {@code validateJsonElement} refuses unknown fields at every depth and
   * missing required ones; deserializing into the typed model refuses values of the wrong type.
   */
  private static void checkKubernetesType(JsonObject object, List<String> errors) {
    String apiVersion = object.get("apiVersion").getAsString();
    String kind = object.get("kind").getAsString();
    if (!apiVersion.equals("v1") && !apiVersion.endsWith("/v1")) {
      errors.add("no schema for " + apiVersion + " " + kind);
      return;
    }
    try {
      Class<?> type = Class.forName("io.kubernetes.client.openapi.models.V1" + kind);
      type.getMethod("validateJsonElement", JsonElement.class).invoke(null, object);
      new JSON().deserialize(object.toString(), type);
    } catch (ClassNotFoundException e) {
      errors.add("no Kubernetes type " + apiVersion + " " + kind);
    } catch (InvocationTargetException e) {
      errors.add(e.getCause().getMessage());
    } catch (ReflectiveOperationException | RuntimeException e) {
      errors.add(e.toString());
    }
  }

  private static void checkPodTemplate(JsonElement template, String path, List<String> errors) {
    if (template == null) {
      return;
    }
    try {
      V1Pod.validateJsonElement(template);
      new JSON().deserialize(template.toString(), V1Pod.class);
    } catch (IOException | RuntimeException e) {
      errors.add(path + ": " + e.getMessage());
    }
  }

  // ---- a JSON Schema subset: type, properties, additionalProperties, required, enum, const, items ----

  private static void validate(JsonElement value, JsonObject schema, String path, List<String> errors) {
    String where = path.isEmpty() ? "(root)" : path;
    if (schema.has("const") && !schema.get("const").equals(value)) {
      errors.add(where + ": must be " + schema.get("const"));
    }
    if (schema.has("enum") && !contains(schema.getAsJsonArray("enum"), value)) {
      errors.add(where + ": " + value + " is not one of " + schema.get("enum"));
    }
    if (schema.has("type") && !hasType(value, schema.get("type"))) {
      errors.add(where + ": " + value + " is not of type " + schema.get("type"));
      return;
    }
    if (value.isJsonObject()) {
      JsonObject object = value.getAsJsonObject();
      JsonObject properties = schema.has("properties") ? schema.getAsJsonObject("properties") : new JsonObject();
      if (schema.has("required")) {
        schema.getAsJsonArray("required").forEach(r -> {
          if (!object.has(r.getAsString())) {
            errors.add(where + ": " + r.getAsString() + " is required");
          }
        });
      }
      for (Map.Entry<String, JsonElement> field : object.entrySet()) {
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (properties.has(field.getKey())) {
          validate(field.getValue(), properties.getAsJsonObject(field.getKey()), child, errors);
        } else if (schema.has("additionalProperties")) {
          JsonElement additional = schema.get("additionalProperties");
          if (additional.isJsonPrimitive() && !additional.getAsBoolean()) {
            errors.add(where + ": unknown field " + field.getKey());
          } else if (additional.isJsonObject()) {
            validate(field.getValue(), additional.getAsJsonObject(), child, errors);
          }
        }
      }
    } else if (value.isJsonArray() && schema.has("items")) {
      JsonArray items = value.getAsJsonArray();
      for (int i = 0; i < items.size(); i++) {
        validate(items.get(i), schema.getAsJsonObject("items"), path + "[" + i + "]", errors);
      }
    }
  }

  private static boolean hasType(JsonElement value, JsonElement type) {
    if (type.isJsonArray()) {
      for (JsonElement t : type.getAsJsonArray()) {
        if (hasType(value, t)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.getAsString()) {
      case "object" -> value.isJsonObject();
      case "array" -> value.isJsonArray();
      case "string" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
      case "boolean" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean();
      case "number" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber();
      case "integer" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
          && value.getAsDouble() == Math.rint(value.getAsDouble());
      default -> false;
    };
  }

  private static boolean contains(JsonArray values, JsonElement value) {
    for (JsonElement v : values) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  // ---- helpers ----

  static List<JsonObject> ofKind(Map<String, JsonObject> documents, String kind) {
    return documents.values().stream().filter(d -> d.get("kind").getAsString().equals(kind)).toList();
  }

  static Set<String> names(Map<String, JsonObject> documents, String kind) {
    Set<String> names = new HashSet<>();
    ofKind(documents, kind).forEach(d -> names.add(d.getAsJsonObject("metadata").get("name").getAsString()));
    return names;
  }

  private static <T> List<T> typed(Map<String, JsonObject> documents, String kind, Class<T> type) {
    JSON json = new JSON();
    return ofKind(documents, kind).stream().map(d -> json.<T>deserialize(d.toString(), type)).toList();
  }

  private static void assertProbe(String deployment, String probe, V1Probe actual, String path) {
    assertThat(actual).as("%s: %s probe", deployment, probe).isNotNull();
    assertThat(actual.getHttpGet().getPath()).as("%s: %s probe path", deployment, probe).isEqualTo(path);
  }

  private static Path locateConfig() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("config/kubernetes"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no config/kubernetes above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("config");
  }
}
