package cloudflow.flink.metrics.prometheus;

import cloudflow.flink.metrics.StreamletMeters;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink metric reporter for the processes of a Flink cluster (job manager and task managers) that
 * serves the streamlets' {@code cloudflow_streamlet_*} series over HTTP in Prometheus' text format, the
 * same names and tags as a {@code java -jar} streamlet's {@code /actuator/prometheus}, so one dashboard
 * and one set of alert rules cover every execution mode.
 *
 * <p>Options ({@code metrics.reporter.<name>.<option>}): {@code port}, a port or range such as
 * {@code 9250-9260} (the first free one is taken, so several processes of one host can share the
 * configuration; default {@value #DEFAULT_PORT}); {@code host}, the address to bind (default all);
 * {@code application}, the {@code application} tag (a Flink application cluster runs one streamlet of
 * one application).
 */
public class StreamletPrometheusReporter implements MetricReporter {

  /** The port Flink's own Prometheus reporter uses by default. */
  static final String DEFAULT_PORT = "9249";

  private static final Logger log = LoggerFactory.getLogger(StreamletPrometheusReporter.class);

  private PrometheusMeterRegistry registry;
  private StreamletMeters meters;
  private HttpServer server;

  @Override
  public void open(MetricConfig config) {
    String application = config.getString("application", "");
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters = new StreamletMeters(registry, () -> application, true);
    server = bind(config.getString("host", "0.0.0.0"), config.getString("port", DEFAULT_PORT));
    server.createContext("/", exchange -> {
      meters.registerPending();
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    log.info("Serving the streamlets' metrics on port {} (application '{}')", port(), application);
  }

  /** The port the reporter serves on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static HttpServer bind(String host, String ports) {
    String[] range = ports.trim().split("-");
    int first;
    int last;
    try {
      first = Integer.parseInt(range[0].trim());
      last = range.length > 1 ? Integer.parseInt(range[1].trim()) : first;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("The cloudflow metric reporter's port '" + ports
          + "' is not a port or a range such as 9250-9260 (metrics.reporter.<name>.port)", e);
    }
    for (int port = first; port <= last; port++) {
      try {
        return HttpServer.create(new InetSocketAddress(host, port), 0);
      } catch (BindException taken) {
        // try the next one of the range
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot serve metrics on " + host + ":" + port, e);
      }
    }
    throw new IllegalStateException("No free port in " + ports + " for the streamlets' metrics (metrics.reporter.<name>.port)");
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    if (meters != null) {
      meters.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    meters.add(metric, metricName, group);
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    meters.remove(metric);
  }
}
