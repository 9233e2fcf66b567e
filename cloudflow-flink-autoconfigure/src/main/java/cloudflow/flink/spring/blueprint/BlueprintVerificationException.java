package cloudflow.flink.spring.blueprint;

import cloudflow.blueprint.VerificationResult;
import cloudflow.flink.spring.diagnostics.StreamletConfigurationException;

/** The application's blueprint does not fit its streamlets; carries every problem found. */
public class BlueprintVerificationException extends StreamletConfigurationException {

  private static final long serialVersionUID = 1L;

  private final transient VerificationResult result;

  /** Creates the exception for a failed verification of the blueprint at {@code source}. */
  public BlueprintVerificationException(String source, VerificationResult result) {
    super(
        "The blueprint (" + source + ") does not fit the application's streamlets:\n" + result.toText(),
        "Fix each error listed above in the blueprint or in the streamlets' shapes. Run the application with "
            + "--cloudflow.verify to check a blueprint without starting anything.");
    this.result = result;
  }

  /** Every problem found. */
  public VerificationResult getResult() {
    return result;
  }
}
