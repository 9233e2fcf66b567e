package cloudflow.flink.spring.diagnostics;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Says which values a {@code cloudflow.*} property with a fixed set of choices takes, spelled as the
 * README documents them ({@code dead-letter}, {@code exactly-once}), where Spring Boot's own analysis
 * lists the Java constants ({@code DEAD_LETTER}). Boot's binder accepts both spellings; users are told
 * the documented one. Ordered before Boot's analyzer, which would otherwise answer first.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class EnumPropertyFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
    Class<?> type = cause.getTarget().getType().resolve();
    if (type == null || !type.isEnum() || !cause.getName().toString().startsWith("cloudflow.")) {
      return null;
    }
    String choices = Arrays.stream(type.getEnumConstants())
        .map(constant -> documented((Enum<?>) constant))
        .collect(Collectors.joining(", "));
    ConfigurationProperty property = cause.getProperty();
    String value = property == null ? "" : " '" + property.getValue() + "'";
    String origin = property == null || property.getOrigin() == null ? "" : " (from " + property.getOrigin() + ")";
    return new FailureAnalysis(
        cause.getName() + value + origin + " is not one of: " + choices + ".",
        "Set " + cause.getName() + " to one of: " + choices + ".",
        cause);
  }

  /** The documented spelling of a choice: lower case, words joined by '-'. */
  static String documented(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
