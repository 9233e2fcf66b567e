package cloudflow.flink.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloudflow.flink.metrics.StreamletMeters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reporter a Flink cluster's processes load as a plugin, scraped over HTTP as Prometheus does. */
class StreamletPrometheusReporterTest {

  private final StreamletPrometheusReporter reporter = new StreamletPrometheusReporter();

  @BeforeEach
  void open() {
    MetricConfig config = new MetricConfig();
    config.setProperty("port", "0");
    config.setProperty("host", "127.0.0.1");
    config.setProperty("application", "sensors");
    reporter.open(config);
  }

  @AfterEach
  void close() {
    reporter.close();
  }

  @Test
  void servesJobMetricsWithTheApplicationTagAndARunningGaugeFromTheUptime() throws Exception {
    MetricGroup job = group(Map.of("<job_name>", "processor", "<job_id>", "abc"));
    Gauge<Long> uptime = () -> 4_000L;
    reporter.notifyOfAddedMetric(uptime, "uptime", job);
    SimpleCounter restarts = new SimpleCounter();
    restarts.inc(3);
    reporter.notifyOfAddedMetric(restarts, "numRestarts", job);

    assertThat(scrape())
        .contains("cloudflow_streamlet_job_uptime_seconds{application=\"sensors\",streamlet=\"processor\"} 4.0")
        .contains("cloudflow_streamlet_job_running{application=\"sensors\",streamlet=\"processor\"} 1.0")
        .contains("cloudflow_streamlet_job_restarts_total{application=\"sensors\",streamlet=\"processor\"} 3.0");

    reporter.notifyOfRemovedMetric(uptime, "uptime", job);
    assertThat(scrape()).doesNotContain("cloudflow_streamlet_job_running").doesNotContain("job_uptime");
  }

  @Test
  void servesAnOperatorsMetricsAsAPortsOnceThePortNamedItsOperatorWhateverTheOperatorIsCalled() throws Exception {
    Map<String, String> source = Map.of("<job_name>", "processor", "<job_id>", "j1", "<task_name>", "t",
        "<operator_name>", "Renamed by a future Flink", "<operator_id>", "op1", "<subtask_index>", "1");
    SimpleCounter recordsIn = new SimpleCounter();
    recordsIn.inc(42);
    reporter.notifyOfAddedMetric(recordsIn, "numRecordsOut", group(source));
    reporter.notifyOfAddedMetric(new SimpleCounter(), "numRecordsIn", group(source));
    SimpleCounter elsewhere = new SimpleCounter();
    reporter.notifyOfAddedMetric(elsewhere, "numRecordsOut", group(Map.of("<job_name>", "processor", "<job_id>", "j1",
        "<task_name>", "t", "<operator_name>", "inlet:in", "<operator_id>", "op2")));

    assertThat(scrape()).as("the port is not known yet").doesNotContain("records_in");

    Map<String, String> port = new java.util.HashMap<>(source);
    port.put("<" + StreamletMeters.PORT_GROUP + ">", "in");
    port.put("<" + StreamletMeters.TOPIC_GROUP + ">", "sensor-readings");
    reporter.notifyOfAddedMetric((Gauge<Integer>) () -> 1, StreamletMeters.INLET_METRIC, group(port));

    assertThat(scrape())
        .contains("cloudflow_streamlet_records_in_total{application=\"sensors\",port=\"in\",streamlet=\"processor\","
            + "subtask=\"1\",topic=\"sensor-readings\"} 42.0")
        .as("metrics not chosen stay out").doesNotContain("numRecordsIn")
        .as("another operator, even one named like a port, is not the port").doesNotContain("0.0\n");
  }

  @Test
  void refusesAPortThatIsNotOne() {
    MetricConfig config = new MetricConfig();
    config.setProperty("port", "metrics");
    StreamletPrometheusReporter other = new StreamletPrometheusReporter();

    assertThatThrownBy(() -> other.open(config)).hasMessageContaining("port 'metrics'")
        .hasMessageContaining("metrics.reporter.<name>.port");
  }

  private String scrape() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + reporter.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static MetricGroup group(Map<String, String> variables) {
    return new UnregisteredMetricsGroup() {
      @Override
      public Map<String, String> getAllVariables() {
        return variables;
      }
    };
  }
}
