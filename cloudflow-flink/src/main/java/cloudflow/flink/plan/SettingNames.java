package cloudflow.flink.plan;

/**
 * How a front end spells the planner's settings in its messages: the planner names a setting by its
 * path ({@code streamlets.<name>.ports.<port>.topic}), the Spring Boot starter by its property
 * ({@code cloudflow.streamlets.<name>.ports.<port>.topic}).
 */
public interface SettingNames {

  /** The names as the planner knows them. */
  SettingNames PATHS = path -> path;

  /** The name of the setting at {@code path}. */
  String of(String path);

  /** How a user chooses the streamlet to run. */
  default String chooseStreamlet() {
    return "set " + of("streamlet") + "=<name>";
  }

  /** How a user runs every streamlet in one process. */
  default String runAll() {
    return "set " + of("local") + "=true";
  }

  /** What a setting is called: "setting", or "property". */
  default String kind() {
    return "setting";
  }

  /** How a user chooses the streamlet to run, for "set by ...". */
  default String chosenBy() {
    return of("streamlet");
  }

  /** Where values are set, for messages about values that do not fit. */
  default String whereValuesAreSet() {
    return "in the configuration";
  }
}
