/**
 * The application's streamlets and which of them run: the registry (from the blueprint or the beans), the selection with topics, config parameter values and restore settings, as the runtime's definitions.
 */
package cloudflow.flink.spring.streamlets;
