package sensors;

import java.io.File;
import java.net.URI;
import java.util.List;
import org.apache.flink.client.deployment.application.ApplicationClusterEntryPoint;
import org.apache.flink.client.deployment.application.ApplicationConfiguration;
import org.apache.flink.client.program.DefaultPackagedProgramRetriever;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.entrypoint.ClusterEntrypoint;
import org.apache.flink.runtime.entrypoint.ClusterEntrypointUtils;
import org.apache.flink.runtime.entrypoint.EntrypointClusterConfiguration;
import org.apache.flink.runtime.entrypoint.EntrypointClusterConfigurationParserFactory;
import org.apache.flink.runtime.resourcemanager.StandaloneResourceManagerFactory;

/**
 * A Flink application cluster's job manager, standalone: what Flink's {@code flink-container}
 * ({@code StandaloneApplicationClusterEntryPoint}, not on Maven Central) and the Kubernetes operator's
 * {@code KubernetesApplicationClusterEntrypoint} do, with the operator's way of naming the program:
 * the application's main class and arguments and its jar ({@code pipeline.jars}) in the configuration,
 * the user class path from {@code <flink home>/usrlib} (found through {@code FLINK_LIB_DIR}, as in a
 * Flink distribution). Only the resource manager is the standalone one (task managers are started
 * separately instead of as pods).
 */
public final class StandaloneApplicationEntryPoint extends ApplicationClusterEntryPoint {

  private StandaloneApplicationEntryPoint(Configuration configuration, PackagedProgram program) {
    super(configuration, program, StandaloneResourceManagerFactory.getInstance());
  }

  /** {@code --configDir <dir> [-D key=value ...]}, as Flink's own entry points. */
  public static void main(String[] args) {
    EntrypointClusterConfiguration arguments = ClusterEntrypointUtils.parseParametersOrExit(
        args, new EntrypointClusterConfigurationParserFactory(), StandaloneApplicationEntryPoint.class);
    Configuration configuration = loadConfiguration(arguments);
    PackagedProgram program;
    try {
      ApplicationConfiguration application = ApplicationConfiguration.fromConfiguration(configuration);
      List<String> jars = configuration.get(PipelineOptions.JARS);
      File jobJar = new File(URI.create(jars.get(0)).getPath());
      File usrlib = ClusterEntrypointUtils.tryFindUserLibDirectory().orElseThrow();
      program = DefaultPackagedProgramRetriever.create(usrlib, jobJar, application.getApplicationClassName(),
          application.getProgramArguments(), configuration).getPackagedProgram();
      configureExecution(configuration, program);
    } catch (Exception e) {
      LOG.error("Could not create the application program.", e);
      System.exit(1);
      return;
    }
    ClusterEntrypoint.runClusterEntrypoint(new StandaloneApplicationEntryPoint(configuration, program));
  }
}
