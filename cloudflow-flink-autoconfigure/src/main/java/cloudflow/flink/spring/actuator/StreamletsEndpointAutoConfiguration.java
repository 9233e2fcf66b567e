package cloudflow.flink.spring.actuator;

import cloudflow.flink.spring.autoconfigure.CloudflowFlinkAutoConfiguration;
import cloudflow.flink.spring.autoconfigure.StreamletLauncher;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code streamlets} actuator endpoint ({@link StreamletsEndpoint}), when the actuator is on the
 * class path, this process runs streamlets, and the endpoint is exposed (it is not by default).
 */
@AutoConfiguration(after = CloudflowFlinkAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(StreamletLauncher.class)
@ConditionalOnAvailableEndpoint(StreamletsEndpoint.class)
public final class StreamletsEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  StreamletsEndpoint streamletsEndpoint(StreamletLauncher launcher) {
    return new StreamletsEndpoint(launcher);
  }

  @Bean
  @ConditionalOnMissingBean
  StreamletsEndpointWebExtension streamletsEndpointWebExtension(StreamletsEndpoint endpoint) {
    return new StreamletsEndpointWebExtension(endpoint);
  }
}
