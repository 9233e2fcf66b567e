/**
 * The commands of the application jar that start no streamlet: {@code --cloudflow.verify}, {@code --cloudflow.describe}, {@code --cloudflow.manifests}.
 */
package cloudflow.flink.spring.command;
