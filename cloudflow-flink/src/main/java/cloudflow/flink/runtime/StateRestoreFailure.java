package cloudflow.flink.runtime;

import cloudflow.flink.plan.SettingNames;
import cloudflow.flink.startup.IncompatibleStateException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.BackendBuildingException;
import org.apache.flink.util.SerializedThrowable;
import org.apache.flink.util.StateMigrationException;

/**
 * Tells a task failure that no restart can fix, because the new code cannot read the state it
 * restores, from the others: Flink's {@link StateMigrationException} (a state serializer that declares
 * itself incompatible with the restored one, e.g. an Avro schema change that is not compatible) or a
 * {@link BackendBuildingException} (the state backend failed to read the restored state, e.g. Avro's
 * {@code Found long, expecting string}) anywhere in the failure's causes. Types are matched by class
 * name, as the failures arrive as {@link SerializedThrowable}s from the task managers. A restore that
 * failed on I/O (its root cause an {@code IOException}) is not one: storage that comes back fixes it.
 */
final class StateRestoreFailure {

  /** Flink names an operator's state backend {@code <operator class>_<operator id>_(<subtask>/<parallelism>)}. */
  private static final Pattern OPERATOR_ID = Pattern.compile("_([0-9a-f]{32})_\\(");
  private static final Set<String> RESTORE_FAILURES =
      Set.of(StateMigrationException.class.getName(), BackendBuildingException.class.getName());

  private StateRestoreFailure() {}

  /**
   * The typed error for a task failure, if it is a state restore failure.
   *
   * @param check the restore point and the new job
   * @param vertex the job vertex (task) that failed, or {@code null} when not known
   * @param failure the task's failure
   * @param names how the message spells the settings
   */
  static Optional<IncompatibleStateException> classify(
      RestoreCheck check, JobVertexID vertex, Throwable failure, SettingNames names) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    Throwable root = chain.get(chain.size() - 1);
    if (chain.stream().noneMatch(t -> RESTORE_FAILURES.contains(className(t))) || transientCause(root)) {
      return Optional.empty();
    }
    // the operator: named by id in the state backend's messages, else the task's operators with restored keyed state
    Set<OperatorID> candidates = new LinkedHashSet<>();
    for (Throwable t : chain) {
      Matcher m = t.getMessage() == null ? null : OPERATOR_ID.matcher(t.getMessage());
      while (m != null && m.find()) {
        candidates.add(new OperatorID(org.apache.flink.util.StringUtils.hexStringToByte(m.group(1))));
      }
    }
    if (candidates.isEmpty() && vertex != null) {
      check.vertices().getOrDefault(vertex, List.of()).stream()
          .filter(id -> check.point().operator(id).map(o -> o.keyedStates() == null || !o.keyedStates().isEmpty())
              .orElse(false))
          .forEach(candidates::add);
    }
    OperatorID operator = candidates.stream().findFirst().orElse(null);
    String label = operator == null ? "(unknown)" : check.label(operator);
    List<String> states = operator == null ? List.of() : check.point().operator(operator)
        .map(o -> o.keyedStates() == null ? List.<String>of() : List.copyOf(o.keyedStates())).orElse(List.of());
    String prefix = "streamlets." + check.streamletRef() + ".";
    String message = "Streamlet '" + check.streamletRef() + "' cannot restore the state of operator " + label
        + (states.isEmpty() ? "" : " (keyed state " + RestorePoint.quoted(states) + ")") + " from "
        + check.point().path() + ": the new code cannot read it (" + describe(root) + "). Restarting cannot fix "
        + "this, so the job is stopped. Keep the state's type compatible (Avro: add fields with defaults, never change "
        + "a field's type), or start from a savepoint this code wrote with " + names.of(prefix + "restore-from")
        + "=<path> (" + names.of(prefix + "checkpointing.resume-from-newest") + "=false starts without state), or move the state to "
        + "a new uid and drop the old one with " + names.of(prefix + "allow-non-restored-state") + "=true. The restore "
        + "point is not deleted: the previous version can still start from it.";
    return Optional.of(new IncompatibleStateException(check.streamletRef(), check.point().path(),
        operator == null ? "(unknown)" : label.replace("'", ""), states, message));
  }

  /** A restore that failed to read its files (storage unavailable, say) may work next time: the restart strategy decides. */
  private static boolean transientCause(Throwable root) {
    String name = className(root);
    return name.startsWith("java.io.") || name.startsWith("java.net.") || name.endsWith("IOException");
  }

  /** The original class of a failure that crossed a process boundary, else its own. */
  private static String className(Throwable t) {
    return t instanceof SerializedThrowable serialized ? serialized.getOriginalErrorClassName() : t.getClass().getName();
  }

  private static String describe(Throwable t) {
    String name = className(t);
    String simple = name.substring(name.lastIndexOf('.') + 1);
    String message = t.getMessage();
    if (t instanceof SerializedThrowable && message != null && message.startsWith(name)) {
      message = message.substring(name.length()).replaceFirst("^:\\s*", "");
    }
    return message == null || message.isBlank() ? simple : simple + ": " + message;
  }
}
