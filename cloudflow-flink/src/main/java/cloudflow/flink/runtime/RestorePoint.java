package cloudflow.flink.runtime;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;

/**
 * What a savepoint or retained checkpoint holds, per operator: its id, the uid and name it had when
 * the point was taken (Flink writes both into the metadata), and the names of its keyed and operator
 * states. Read with Flink's own {@link Checkpoints#loadCheckpointMetadata}; keyed state names come from
 * the state backend's serialization proxy at the head of each keyed state handle (a full snapshot or
 * savepoint of any backend, or an incremental checkpoint's meta data handle), which is also what
 * Flink reads first when it restores.
 *
 * @param path where the point is (its directory or {@code _metadata} file)
 * @param operators the operators with state (as Flink decides whether a restore must claim it), in the point's order
 */
record RestorePoint(String path, List<Operator> operators) {

  /**
   * One operator's state in a restore point.
   *
   * @param id the operator id Flink restores by
   * @param uid the uid it had, or {@code null} when it had none (its id was generated from the graph)
   * @param name its name, or {@code null}
   * @param keyedStates names of its keyed states ({@code null}: not readable, e.g. a handle type not known here)
   * @param operatorStates names of its operator (non-keyed) states
   */
  record Operator(OperatorID id, String uid, String name, SortedSet<String> keyedStates,
      SortedSet<String> operatorStates) {

    /** How a message names the operator: its uid, else its name and id. */
    String label() {
      if (uid != null) {
        return "'" + uid + "'";
      }
      return (name != null ? "'" + name + "' " : "") + "(no uid, id " + id + ")";
    }

    /** The names of its states, for a message: "keyed state 'a', 'b'; operator state 'c'", or "". */
    String stateNames() {
      List<String> parts = new ArrayList<>();
      if (keyedStates != null && !keyedStates.isEmpty()) {
        parts.add("keyed state " + quoted(keyedStates));
      }
      if (!operatorStates.isEmpty()) {
        parts.add("operator state " + quoted(operatorStates));
      }
      return String.join("; ", parts);
    }
  }

  /** The operator with this id, if the point has state for it. */
  Optional<Operator> operator(OperatorID id) {
    return operators.stream().filter(o -> o.id().equals(id)).findFirst();
  }

  /**
   * Reads a restore point's metadata and the state names of its operators.
   *
   * @param path the point's directory or its {@code _metadata} file, on any Flink file system
   * @param classLoader loads the serializer snapshots the metadata names (the job's classes)
   * @throws UncheckedIOException when the point cannot be read
   */
  static RestorePoint read(String path, ClassLoader classLoader) {
    CheckpointMetadata metadata;
    try {
      CompletedCheckpointStorageLocation location = AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(path);
      StreamStateHandle handle = location.getMetadataHandle();
      try (DataInputStream in = new DataInputStream(handle.openInputStream())) {
        metadata = Checkpoints.loadCheckpointMetadata(in, classLoader, location.getExternalPointer());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the metadata of restore point " + path, e);
    }
    List<Operator> operators = new ArrayList<>();
    for (OperatorState state : metadata.getOperatorStates()) {
      boolean hasState = state.getCoordinatorState() != null
          || state.getStates().stream().anyMatch(OperatorSubtaskState::hasState);
      if (!hasState) {
        continue;
      }
      SortedSet<String> keyed = new TreeSet<>();
      SortedSet<String> operatorStates = new TreeSet<>();
      for (OperatorSubtaskState subtask : state.getStates()) {
        for (OperatorStateHandle handle : subtask.getManagedOperatorState()) {
          operatorStates.addAll(handle.getStateNameToPartitionOffsets().keySet());
        }
        if (keyed != null) {
          for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
            SortedSet<String> names = keyedStateNames(handle, classLoader);
            if (names == null) {
              keyed = null;
              break;
            }
            keyed.addAll(names);
          }
        }
      }
      operators.add(new Operator(state.getOperatorID(), state.getOperatorUid().orElse(null),
          state.getOperatorName().orElse(null), keyed, operatorStates));
    }
    return new RestorePoint(path, List.copyOf(operators));
  }

  /** The keyed state names in one handle, or {@code null} when this handle type is not understood. */
  private static SortedSet<String> keyedStateNames(KeyedStateHandle handle, ClassLoader classLoader) {
    StreamStateHandle stream;
    if (handle instanceof KeyGroupsStateHandle keyGroups) {
      // a full snapshot (any savepoint, a hashmap checkpoint): the proxy opens the stream
      stream = keyGroups.getDelegateStateHandle();
    } else if (handle instanceof IncrementalKeyedStateHandle incremental) {
      stream = incremental.getMetaDataStateHandle();
    } else {
      return null;
    }
    try (FSDataInputStream in = stream.openInputStream()) {
      KeyedBackendSerializationProxy<?> proxy = new KeyedBackendSerializationProxy<>(classLoader);
      proxy.read(new DataInputViewStreamWrapper(in));
      SortedSet<String> names = new TreeSet<>();
      for (StateMetaInfoSnapshot info : proxy.getStateMetaInfoSnapshots()) {
        // timers are priority queues next to the user's value, list and map states: not a state a user names
        if (info.getBackendStateType() == StateMetaInfoSnapshot.BackendStateType.KEY_VALUE) {
          names.add(info.getName());
        }
      }
      return names;
    } catch (IOException | RuntimeException e) {
      // a state whose serializer snapshot cannot be read here: its names stay unknown, the restore decides
      return null;
    }
  }

  static String quoted(java.util.Collection<String> names) {
    return names.stream().map(n -> "'" + n + "'").reduce((a, b) -> a + ", " + b).orElse("");
  }
}
