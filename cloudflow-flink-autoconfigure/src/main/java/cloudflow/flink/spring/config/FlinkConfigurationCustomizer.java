package cloudflow.flink.spring.config;

import org.apache.flink.configuration.Configuration;

/**
 * Adjusts the Flink {@link Configuration} every streamlet job is submitted with. Beans of this type
 * are applied in {@code @Order}, after the {@code cloudflow.flink.*} properties, so a customizer can
 * add settings but should leave the user's explicit ones alone.
 */
@FunctionalInterface
public interface FlinkConfigurationCustomizer {

  /** Customizes the configuration in place. */
  void customize(Configuration configuration);
}
