/**
 * Raw ports for topics that other systems write or read, under Cloudflow's names
 * ({@code ExternalInlet}, {@code ExternalOutlet}): records are the Kafka values' bytes as they are.
 * The blueprint checks no schema on a topic end that is a raw port.
 */
package cloudflow.streamlets.bytearray;
