package cloudflow.flink.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.blob.TransientBlobService;
import org.apache.flink.runtime.dispatcher.DispatcherGateway;
import org.apache.flink.runtime.leaderelection.LeaderElection;
import org.apache.flink.runtime.resourcemanager.ResourceManagerGateway;
import org.apache.flink.runtime.rest.RestEndpointFactory;
import org.apache.flink.runtime.rest.handler.RestHandlerConfiguration;
import org.apache.flink.runtime.rest.handler.RestHandlerSpecification;
import org.apache.flink.runtime.rest.handler.legacy.metrics.MetricFetcher;
import org.apache.flink.runtime.rpc.FatalErrorHandler;
import org.apache.flink.runtime.webmonitor.WebMonitorEndpoint;
import org.apache.flink.runtime.webmonitor.retriever.LeaderGatewayRetriever;
import org.apache.flink.shaded.netty4.io.netty.channel.ChannelInboundHandler;

/**
 * The REST endpoint of a Flink cluster in this JVM when nobody asked for Flink's REST API: Flink's
 * cluster components need an endpoint (its leadership and lifecycle), but nothing in the process
 * calls it, and creating Flink's ~100 handlers (with their message and JSON classes) is about a
 * fifth of the cluster's start on the startup's critical path. It listens, as Flink's does, and
 * answers 404 to every request.
 */
final class RestEndpointWithoutHandlers extends WebMonitorEndpoint<DispatcherGateway> {

  /** Makes this endpoint where Flink's session clusters make theirs. */
  static final RestEndpointFactory<DispatcherGateway> FACTORY = RestEndpointWithoutHandlers::new;

  private RestEndpointWithoutHandlers(
      Configuration configuration,
      LeaderGatewayRetriever<DispatcherGateway> dispatcher,
      LeaderGatewayRetriever<ResourceManagerGateway> resourceManager,
      TransientBlobService blobService,
      ScheduledExecutorService executor,
      MetricFetcher metricFetcher,
      LeaderElection leaderElection,
      FatalErrorHandler fatalErrorHandler) throws Exception {
    this(configuration, RestHandlerConfiguration.fromConfiguration(configuration), dispatcher, resourceManager,
        blobService, executor, metricFetcher, leaderElection, fatalErrorHandler);
  }

  private RestEndpointWithoutHandlers(
      Configuration configuration,
      RestHandlerConfiguration handlers,
      LeaderGatewayRetriever<DispatcherGateway> dispatcher,
      LeaderGatewayRetriever<ResourceManagerGateway> resourceManager,
      TransientBlobService blobService,
      ScheduledExecutorService executor,
      MetricFetcher metricFetcher,
      LeaderElection leaderElection,
      FatalErrorHandler fatalErrorHandler) throws Exception {
    super(dispatcher, configuration, handlers, resourceManager, blobService, executor, metricFetcher, leaderElection,
        RestEndpointFactory.createExecutionGraphCache(handlers), fatalErrorHandler);
  }

  @Override
  protected List<Tuple2<RestHandlerSpecification, ChannelInboundHandler>> initializeHandlers(
      CompletableFuture<String> localAddressFuture) {
    return new ArrayList<>(); // Flink sorts it in place
  }
}
