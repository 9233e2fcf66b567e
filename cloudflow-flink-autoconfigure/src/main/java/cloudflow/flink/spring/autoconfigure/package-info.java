/**
 * Spring Boot auto-configuration: collects {@code FlinkStreamlet} beans, selects the streamlet to run
 * and runs it as a Flink job for as long as the application context is up.
 */
package cloudflow.flink.spring.autoconfigure;
