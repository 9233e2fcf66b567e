package sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.typesafe.config.ConfigFactory;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the deployment configuration in {@code config/}:
 *
 * <ul>
 *   <li>{@code config/validate.sh} passes (kubectl decodes and dry-run-applies every manifest,
 *       promtool checks the Prometheus configurations); skipped when kubectl or promtool is missing;
 *   <li>every Kubernetes object matches the Kubernetes API types of the official Java client's
 *       generated models (unknown or misspelt fields at any depth, missing required fields, wrong
 *       value types), and the FlinkDeployment matches the operator's CRD fields
 *       ({@code config/schemas/flinkdeployment-v1beta1.schema.json}) with its Pod templates checked
 *       as Pods;
 *   <li>the objects fit together: one Deployment per streamlet of the blueprint, probes on the actuator
 *       groups, the ConfigMap, Secret, claims and Services they name exist, and the FlinkDeployment's
 *       parallelism fits its task slots.
 * </ul>
 */
class ConfigValidationTest {

  private static final Path CONFIG = locateConfig();
  private static final Gson gson = new Gson();

  @Test
  void validateScriptPasses() throws Exception {
    assumeTrue(onPath("kubectl") && onPath("promtool"), "kubectl and promtool are needed (see config/README.md)");
    Path log = Files.createTempFile("validate", ".log");
    Process process = new ProcessBuilder("bash", CONFIG.resolve("validate.sh").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(180, TimeUnit.SECONDS);
    process.destroyForcibly();
    String output = Files.readString(log);
    Files.delete(log);
    assertThat(finished).as("validate.sh finished within 180 s; its output:\n%s", output).isTrue();
    System.out.println(output);
    assertThat(process.exitValue()).as("exit code of validate.sh; its output:\n%s", output).isZero();
    assertThat(output).contains("created (dry run)").contains("config/ is valid");
  }

  @TestFactory
  Stream<DynamicTest> manifestsMatchTheirSchemas() throws IOException {
    return documents().entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
      JsonObject object = entry.getValue();
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
      assertThat(errors).as("schema errors of %s", entry.getKey()).isEmpty();
    }));
  }

  @Test
  void streamletDeploymentsFitTogether() throws Exception {
    Map<String, JsonObject> documents = documents();
    Set<String> configMaps = names(documents, "ConfigMap");
    Set<String> secrets = names(documents, "Secret");
    Set<String> claims = names(documents, "PersistentVolumeClaim");
    List<V1Deployment> deployments = typed(documents, "Deployment", V1Deployment.class);
    List<V1Service> services = typed(documents, "Service", V1Service.class);

    Set<String> streamlets = ConfigFactory.parseResources("blueprint.conf").getConfig("blueprint.streamlets").root().keySet();
    Set<String> deployed = new HashSet<>();
    for (V1Deployment deployment : deployments) {
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
        if (source.getSecretRef() != null) {
          assertThat(secrets).as("%s: Secrets", name).contains(source.getSecretRef().getName());
        }
      });
      assertThat(container.getEnv()).as("%s: env", name)
          .anyMatch(env -> env.getName().equals("CLOUDFLOW_CHECKPOINTING_DIRECTORY")
              && container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals(env.getValue())));
      pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).forEach(v ->
          assertThat(claims).as("%s: claims", name).contains(v.getPersistentVolumeClaim().getClaimName()));
      Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
      assertThat(annotations).as("%s: Prometheus annotations", name)
          .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/actuator/prometheus");
      Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
      assertThat(services).as("%s: a Service selecting its pod", name).anyMatch(service ->
          labels.entrySet().containsAll(service.getSpec().getSelector().entrySet()));
    }
    assertThat(deployed).as("streamlets with a Deployment").isEqualTo(streamlets);
  }

  @Test
  void flinkDeploymentFitsItsSlots() throws Exception {
    for (JsonObject flink : documents().values().stream().filter(d -> d.get("kind").getAsString().equals("FlinkDeployment")).toList()) {
      JsonObject spec = flink.getAsJsonObject("spec");
      JsonObject job = spec.getAsJsonObject("job");
      List<String> args = gson.fromJson(job.get("args"), List.class);
      int parallelism = job.get("parallelism").getAsInt();
      int slots = Integer.parseInt(spec.getAsJsonObject("flinkConfiguration").get("taskmanager.numberOfTaskSlots").getAsString());
      int taskManagers = spec.getAsJsonObject("taskManager").get("replicas").getAsInt();
      assertThat(args).contains("--spring.main.web-application-type=none").anyMatch(a -> a.startsWith("--streamlet="));
      assertThat(taskManagers * slots).as("task slots for parallelism %d", parallelism).isGreaterThanOrEqualTo(parallelism);
      assertThat(args).as("the streamlet's own parallelism agrees with the job's")
          .allMatch(a -> !a.matches("--cloudflow\\.streamlets\\.[^.]+\\.parallelism=.*") || a.endsWith("=" + parallelism));
      // inside a Flink application cluster the cluster's settings win: repeating them in the args would override them
      assertThat(args).as("checkpointing and parallelism are the deployment's, not the application's")
          .noneMatch(a -> a.startsWith("--cloudflow.checkpointing.") || a.startsWith("--cloudflow.flink."));
      assertThat(spec.getAsJsonObject("flinkConfiguration").keySet()).as("what the deployment decides")
          .contains("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "execution.checkpointing.interval",
              "metrics.reporter.cloudflow.factory.class", "metrics.reporter.cloudflow.application");
    }
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

  // ---- the manifests ----

  /** Every object of config/kubernetes and config/flink, by "file#index kind/name". */
  private static Map<String, JsonObject> documents() throws IOException {
    Map<String, JsonObject> documents = new LinkedHashMap<>();
    for (String folder : List.of("kubernetes", "flink")) {
      List<Path> files;
      try (Stream<Path> list = Files.list(CONFIG.resolve(folder))) {
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
          documents.put(folder + "/" + file.getFileName() + "#" + index++ + " " + object.get("kind").getAsString() + "/" + name, object);
        }
      }
    }
    assertThat(documents).as("manifests in %s", CONFIG).isNotEmpty();
    return documents;
  }

  private static Set<String> names(Map<String, JsonObject> documents, String kind) {
    Set<String> names = new HashSet<>();
    documents.values().stream().filter(d -> d.get("kind").getAsString().equals(kind))
        .forEach(d -> names.add(d.getAsJsonObject("metadata").get("name").getAsString()));
    return names;
  }

  private static <T> List<T> typed(Map<String, JsonObject> documents, String kind, Class<T> type) {
    JSON json = new JSON();
    return documents.values().stream().filter(d -> d.get("kind").getAsString().equals(kind))
        .map(d -> json.<T>deserialize(d.toString(), type)).toList();
  }

  private static void assertProbe(String deployment, String probe, V1Probe actual, String path) {
    assertThat(actual).as("%s: %s probe", deployment, probe).isNotNull();
    assertThat(actual.getHttpGet().getPath()).as("%s: %s probe path", deployment, probe).isEqualTo(path);
  }

  private static boolean onPath(String tool) {
    Collection<String> path = List.of(System.getenv().getOrDefault("PATH", "").split(":"));
    return path.stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
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
