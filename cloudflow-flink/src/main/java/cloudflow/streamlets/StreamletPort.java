package cloudflow.streamlets;

/**
 * A named, typed connection point of a streamlet: an {@link Inlet} or an {@link Outlet}.
 *
 * <p>Ports are metadata. They are created once as final fields of a streamlet and can be read without
 * running anything.
 */
public interface StreamletPort {

  /** The port's name, unique within its streamlet; lowercase letters, digits and '-'. */
  String name();

  /** The schema of the records that pass through this port. */
  SchemaDefinition schemaDefinition();
}
