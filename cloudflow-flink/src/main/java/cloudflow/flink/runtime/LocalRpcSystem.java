package cloudflow.flink.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.classloading.SubmoduleClassLoader;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.FencedRpcGateway;
import org.apache.flink.runtime.rpc.RpcEndpoint;
import org.apache.flink.runtime.rpc.RpcGateway;
import org.apache.flink.runtime.rpc.RpcServer;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.util.concurrent.ScheduledExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink's RPC system (Pekko) for the local clusters of this process, loaded once and shared by them.
 *
 * <p>Flink's own loader ({@code PekkoRpcSystemLoader}) extracts the 21 MB {@code flink-rpc-akka.jar}
 * it carries to a new file on every load: once per cluster, on every start, and left behind by a
 * process that does not close its clusters. This one does what that loader does (a
 * {@link SubmoduleClassLoader} over the extracted jar, the {@link RpcSystem} it provides), with the jar
 * extracted once per Flink version to a fixed file under {@link ProcessTempDirectory#root()} that later
 * starts reuse. When the jar cannot be found (a Flink build without it), Flink's loader runs instead.
 */
final class LocalRpcSystem implements RpcSystem {

  private static final Logger log = LoggerFactory.getLogger(LocalRpcSystem.class);

  /** The jar inside {@code flink-rpc-akka-loader}, as Flink's loader names it. */
  private static final String RPC_JAR = "flink-rpc-akka.jar";

  /** How long {@link #close()} waits for each RPC service left running. */
  private static final Duration SERVICE_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final RpcSystem delegate;
  private final SubmoduleClassLoader classLoader;
  /** The RPC services started through this system that their owner has not closed. */
  private final Set<RpcService> services = ConcurrentHashMap.newKeySet();

  private LocalRpcSystem(RpcSystem delegate, SubmoduleClassLoader classLoader) {
    this.delegate = delegate;
    this.classLoader = classLoader;
  }

  /** Loads the RPC system, extracting its jar into {@code directory} unless an earlier start did. */
  static RpcSystem load(Path directory, Configuration configuration) {
    ClassLoader flinkClassLoader = RpcSystem.class.getClassLoader();
    String version = EnvironmentInformation.getVersion();
    if (flinkClassLoader.getResource(RPC_JAR) == null || version.startsWith("<")) {
      return RpcSystem.load(configuration);
    }
    try {
      Path jar = directory.resolve("flink-rpc-akka-" + version + ".jar");
      if (!Files.isRegularFile(jar)) {
        // written under a name of its own and renamed: a concurrent start never sees half a jar
        Path partial = directory.resolve(jar.getFileName() + "." + UUID.randomUUID() + ".part");
        try (InputStream in = flinkClassLoader.getResourceAsStream(RPC_JAR)) {
          Files.createDirectories(directory);
          Files.copy(in, partial);
          Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(partial);
        }
        log.debug("Extracted Flink's RPC system to {}", jar);
      }
      SubmoduleClassLoader classLoader = new SubmoduleClassLoader(new java.net.URL[] {jar.toUri().toURL()}, flinkClassLoader);
      Iterator<RpcSystem> systems = ServiceLoader.load(RpcSystem.class, classLoader).iterator();
      if (!systems.hasNext()) {
        classLoader.close();
        return RpcSystem.load(configuration);
      }
      return new LocalRpcSystem(systems.next(), classLoader);
    } catch (IOException e) {
      log.debug("Cannot reuse an extracted RPC system under {}, Flink extracts its own: {}", directory, e.toString());
      return RpcSystem.load(configuration);
    }
  }

  @Override
  public RpcServiceBuilder localServiceBuilder(Configuration configuration) {
    return new TrackingBuilder(delegate.localServiceBuilder(configuration));
  }

  @Override
  public RpcServiceBuilder remoteServiceBuilder(Configuration configuration, String externalAddress, String externalPortRange) {
    return new TrackingBuilder(delegate.remoteServiceBuilder(configuration, externalAddress, externalPortRange));
  }

  @Override
  public String getRpcUrl(String hostname, int port, String endpointName, AddressResolution addressResolution,
      Configuration configuration) throws UnknownHostException {
    return delegate.getRpcUrl(hostname, port, endpointName, addressResolution, configuration);
  }

  @Override
  public InetSocketAddress getInetSocketAddressFromRpcUrl(String url) throws Exception {
    return delegate.getInetSocketAddressFromRpcUrl(url);
  }

  @Override
  public long getMaximumMessageSizeInBytes(Configuration configuration) {
    return delegate.getMaximumMessageSizeInBytes(configuration);
  }

  /**
   * Closes the RPC services still running, the RPC system and its class loader; the jar stays for the
   * next start.
   *
   * <p>A cluster closes its services when it shuts down, but one whose start failed does not: Flink's
   * {@code MiniCluster} closes nothing until it has started. Their actor systems' threads would keep
   * the JVM alive, then fail to load classes from the closed class loader, and Flink's handler of
   * uncaught errors would exit the JVM (code 239) over whatever the application was reporting.
   */
  @Override
  public void close() {
    for (RpcService service : List.copyOf(services)) {
      try {
        service.closeAsync().get(SERVICE_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        log.warn("Flink's RPC service at {} did not close within {}: {}", service.getAddress(), SERVICE_CLOSE_TIMEOUT,
            e.toString());
      }
    }
    delegate.close();
    try {
      classLoader.close();
    } catch (IOException e) {
      log.debug("Cannot close the RPC system's class loader: {}", e.toString());
    }
  }

  /** Flink's builder of an RPC service, which remembers the service it starts for {@link #close()}. */
  private final class TrackingBuilder implements RpcServiceBuilder {

    private final RpcServiceBuilder builder;

    TrackingBuilder(RpcServiceBuilder builder) {
      this.builder = builder;
    }

    @Override
    public RpcServiceBuilder withComponentName(String name) {
      builder.withComponentName(name);
      return this;
    }

    @Override
    public RpcServiceBuilder withBindAddress(String bindAddress) {
      builder.withBindAddress(bindAddress);
      return this;
    }

    @Override
    public RpcServiceBuilder withBindPort(int bindPort) {
      builder.withBindPort(bindPort);
      return this;
    }

    @Override
    public RpcServiceBuilder withExecutorConfiguration(FixedThreadPoolExecutorConfiguration configuration) {
      builder.withExecutorConfiguration(configuration);
      return this;
    }

    @Override
    public RpcServiceBuilder withExecutorConfiguration(ForkJoinExecutorConfiguration configuration) {
      builder.withExecutorConfiguration(configuration);
      return this;
    }

    @Override
    public RpcService createAndStart() throws Exception {
      RpcService service = new TrackedService(builder.createAndStart());
      services.add(service);
      return service;
    }
  }

  /** An RPC service of this system, forgotten by {@link #close()} once its owner closes it. */
  private final class TrackedService implements RpcService {

    private final RpcService service;

    TrackedService(RpcService service) {
      this.service = service;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
      services.remove(this);
      return service.closeAsync();
    }

    @Override
    public String getAddress() {
      return service.getAddress();
    }

    @Override
    public int getPort() {
      return service.getPort();
    }

    @Override
    public <C extends RpcGateway> C getSelfGateway(Class<C> selfGatewayType, RpcServer rpcServer) {
      return service.getSelfGateway(selfGatewayType, rpcServer);
    }

    @Override
    public <C extends RpcGateway> CompletableFuture<C> connect(String address, Class<C> clazz) {
      return service.connect(address, clazz);
    }

    @Override
    public <F extends Serializable, C extends FencedRpcGateway<F>> CompletableFuture<C> connect(
        String address, F fencingToken, Class<C> clazz) {
      return service.connect(address, fencingToken, clazz);
    }

    @Override
    public <C extends RpcEndpoint & RpcGateway> RpcServer startServer(C rpcEndpoint, Map<String, String> loggingContext) {
      return service.startServer(rpcEndpoint, loggingContext);
    }

    @Override
    public void stopServer(RpcServer selfGateway) {
      service.stopServer(selfGateway);
    }

    @Override
    public ScheduledExecutor getScheduledExecutor() {
      return service.getScheduledExecutor();
    }
  }
}
