package cloudflow.flink.spring.properties;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether the application was started to run a command ({@code --cloudflow.verify},
 * {@code --cloudflow.describe} or {@code --cloudflow.manifests}) instead of its streamlets. Both forms
 * of the flag count, with or without a value.
 */
public final class StreamletCommandCondition extends SpringBootCondition {

  /** The property that runs the verify command. */
  public static final String VERIFY = "cloudflow.verify";

  /** The property that runs the describe command. */
  public static final String DESCRIBE = "cloudflow.describe";

  /** The property that runs the manifests command. */
  public static final String MANIFESTS = "cloudflow.manifests";

  /** Whether the environment asks for a command. */
  public static boolean isCommand(Environment environment) {
    return environment.containsProperty(VERIFY) || environment.containsProperty(DESCRIBE)
        || environment.containsProperty(MANIFESTS);
  }

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    return isCommand(context.getEnvironment())
        ? ConditionOutcome.match("a cloudflow command is requested")
        : ConditionOutcome.noMatch("no cloudflow command is requested");
  }

  /** The opposite: the application runs its streamlets. */
  public static final class Not extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return isCommand(context.getEnvironment())
          ? ConditionOutcome.noMatch("a cloudflow command is requested")
          : ConditionOutcome.match("no cloudflow command is requested");
    }
  }
}
