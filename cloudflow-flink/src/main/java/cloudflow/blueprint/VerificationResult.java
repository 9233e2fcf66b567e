package cloudflow.blueprint;

import cloudflow.blueprint.BlueprintProblem.Severity;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every problem found in a blueprint, in the order found.
 *
 * @param problems the errors and warnings
 */
public record VerificationResult(List<BlueprintProblem> problems) {

  /** Copies the list. */
  public VerificationResult {
    problems = List.copyOf(problems);
  }

  /** Whether the blueprint can run: it has no errors (it may have warnings). */
  public boolean isValid() {
    return errors().isEmpty();
  }

  /** The problems that stop the application. */
  public List<BlueprintProblem> errors() {
    return problems.stream().filter(p -> p.severity() == Severity.ERROR).toList();
  }

  /** The problems that are reported only. */
  public List<BlueprintProblem> warnings() {
    return problems.stream().filter(p -> p.severity() == Severity.WARNING).toList();
  }

  /** One line per problem, then a summary line. */
  public String toText() {
    StringBuilder text = new StringBuilder();
    for (BlueprintProblem problem : problems) {
      text.append("  - ").append(problem).append('\n');
    }
    text.append(isValid() ? "Blueprint is valid" : "Blueprint is invalid")
        .append(" (").append(errors().size()).append(" errors, ").append(warnings().size()).append(" warnings)");
    return text.toString();
  }

  /** The result as a JSON object: {@code valid}, {@code errors}, {@code warnings}, {@code problems}. */
  public String toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("valid", isValid());
    json.put("errors", errors().size());
    json.put("warnings", warnings().size());
    json.put("problems", problems.stream().map(BlueprintProblem::toMap).toList());
    return ConfigValueFactory.fromMap(json).render(ConfigRenderOptions.concise());
  }
}
