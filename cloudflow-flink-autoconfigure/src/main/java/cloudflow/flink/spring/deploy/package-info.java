/**
 * Kubernetes manifests of a whole application, generated from its blueprint by
 * {@code --cloudflow.manifests}: the settings ({@code cloudflow.deployment.*}), the objects of each
 * streamlet in plain ({@code java -jar}) or Flink application mode, and a small YAML writer. Only
 * {@link cloudflow.flink.spring.deploy.ManifestsCommand} touches Spring; the rest is plain Java.
 */
package cloudflow.flink.spring.deploy;
