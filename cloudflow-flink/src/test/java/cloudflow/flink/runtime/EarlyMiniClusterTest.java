package cloudflow.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.util.Reference;
import org.junit.jupiter.api.io.TempDir;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;

class EarlyMiniClusterTest {

  @Test
  void givesEachParallelInstanceASlotSpreadOverTheTaskManagersLikeFlinksLocalExecutor() {
    MiniClusterConfiguration configuration = EarlyMiniCluster.configurationFor(
        Configuration.fromMap(Map.of("parallelism.default", "3", "minicluster.number-of-taskmanagers", "2")));

    assertThat(configuration.getNumTaskManagers()).isEqualTo(2);
    assertThat(configuration.getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(2);
    assertThat(configuration.getConfiguration().get(org.apache.flink.configuration.RestOptions.BIND_PORT))
        .isEqualTo("0");
  }

  @Test
  void takesConfiguredSlotsAndParallelismOverrides() {
    assertThat(EarlyMiniCluster.configurationFor(
                Configuration.fromMap(Map.of("parallelism.default", "1", "taskmanager.numberOfTaskSlots", "4")))
            .getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS))
        .isEqualTo(4);
    assertThat(EarlyMiniCluster.configurationFor(
                Configuration.fromMap(Map.of("parallelism.default", "1", "pipeline.jobvertex-parallelism-overrides",
                    "0a448493b4782967b150582570326227:3")))
            .getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS))
        .isEqualTo(3);
  }

  @Test
  void shutsDownAClusterNoJobTook(@TempDir Path rpcJars) throws Exception {
    RpcSystem rpcSystem = LocalRpcSystem.load(rpcJars, new Configuration());
    try {
      EarlyMiniCluster cluster = EarlyMiniCluster.startFor(
          Configuration.fromMap(Map.of("parallelism.default", "1")), "idle", () -> Reference.borrowed(rpcSystem));
      cluster.start(); // waits for the start on the cluster's own thread
      assertThat(cluster.isRunning()).isTrue();

      cluster.closeUnused();

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (cluster.isRunning() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(cluster.isRunning()).isFalse();
      cluster.shutDown().get(30, TimeUnit.SECONDS); // its RPC services are gone too: the RPC system can close
    } finally {
      rpcSystem.close();
    }
  }

  @Test
  void servesFlinksRestApiOnlyWhenAPortIsSetForIt(@TempDir Path rpcJars) throws Exception {
    RpcSystem rpcSystem = LocalRpcSystem.load(rpcJars, new Configuration());
    try {
      assertThat(restStatus(Map.of("parallelism.default", "1"), rpcSystem)).as("no REST port set").isEqualTo(404);
      assertThat(restStatus(Map.of("parallelism.default", "1", "rest.bind-port", "0"), rpcSystem))
          .as("rest.bind-port set").isEqualTo(200);
    } finally {
      rpcSystem.close();
    }
  }

  /** The status of {@code GET /v1/config} of a cluster started with these settings. */
  private static int restStatus(Map<String, String> settings, RpcSystem rpcSystem) throws Exception {
    Map<String, String> withLoopback = new HashMap<>(settings);
    withLoopback.put("rest.bind-address", "127.0.0.1");
    EarlyMiniCluster cluster =
        EarlyMiniCluster.startFor(Configuration.fromMap(withLoopback), "rest", () -> Reference.borrowed(rpcSystem));
    try {
      cluster.start();
      URI config = cluster.getRestAddress().get(30, TimeUnit.SECONDS).resolve("/v1/config");
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int status;
      // Flink's handlers answer 503 until they have found the dispatcher (its leader election)
      while ((status = http.send(HttpRequest.newBuilder(config).build(), BodyHandlers.discarding()).statusCode()) == 503
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      return status;
    } finally {
      cluster.shutDown().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void extractsTheRpcSystemOnceAndKeepsItAcrossLoads(@TempDir Path rpcJars) throws Exception {
    RpcSystem first = LocalRpcSystem.load(rpcJars, new Configuration());
    first.close();
    List<Path> jars;
    try (var files = Files.list(rpcJars)) {
      jars = files.toList();
    }
    assertThat(jars).as("the extracted RPC system").singleElement()
        .satisfies(jar -> assertThat(jar.getFileName().toString()).startsWith("flink-rpc-akka-").endsWith(".jar"));
    FileTime extracted = Files.getLastModifiedTime(jars.get(0));

    RpcSystem second = LocalRpcSystem.load(rpcJars, new Configuration());
    try {
      // a cluster runs on it: the jar kept from the first load is a working RPC system
      EarlyMiniCluster cluster = EarlyMiniCluster.startFor(
          Configuration.fromMap(Map.of("parallelism.default", "1")), "reused", () -> Reference.borrowed(second));
      cluster.start();
      assertThat(cluster.isRunning()).isTrue();
      cluster.shutDown().get(30, TimeUnit.SECONDS);
      assertThat(cluster.isRunning()).isFalse();
    } finally {
      second.close();
    }
    try (var files = Files.list(rpcJars)) {
      assertThat(files.toList()).as("files after the second load").containsExactlyElementsOf(jars);
    }
    assertThat(Files.getLastModifiedTime(jars.get(0))).as("not extracted again").isEqualTo(extracted);
  }
}
