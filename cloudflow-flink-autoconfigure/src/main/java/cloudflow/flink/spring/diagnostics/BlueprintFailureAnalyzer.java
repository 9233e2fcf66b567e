package cloudflow.flink.spring.diagnostics;

import cloudflow.blueprint.BlueprintException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a blueprint that cannot be read at all (missing file, not HOCON, wrong structure). */
public class BlueprintFailureAnalyzer extends AbstractFailureAnalyzer<BlueprintException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, BlueprintException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Check cloudflow.blueprint.location (or blueprint.conf on the class path): it must hold "
            + "blueprint { streamlets { ... } topics { ... } }.",
        cause);
  }
}
