package cloudflow.streamlets;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The inlets and outlets of a streamlet. Created with {@link #createWithInlets} or
 * {@link #createWithOutlets} and extended with {@link #withInlets} / {@link #withOutlets}; every
 * step validates port names, so a bad shape fails where it is declared.
 *
 * <p>A shape is serializable, like its ports, because a streamlet that holds one may be captured by
 * a function shipped to Flink's task managers.
 *
 * <p>Port names follow Cloudflow's rules: lowercase letters, digits and '-', starting and ending
 * with a letter or digit, at most 63 characters, unique within the streamlet.
 */
public final class StreamletShape implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final List<Inlet> inlets;
  private final List<Outlet> outlets;

  private StreamletShape(List<Inlet> inlets, List<Outlet> outlets) {
    this.inlets = List.copyOf(inlets);
    this.outlets = List.copyOf(outlets);
    validate();
  }

  /** A shape with no ports. */
  public static StreamletShape createEmpty() {
    return new StreamletShape(List.of(), List.of());
  }

  /** Cloudflow's other name for {@link #createEmpty()}. */
  public static StreamletShape empty() {
    return createEmpty();
  }

  /** A shape with the given inlets and no outlets yet. */
  public static StreamletShape createWithInlets(Inlet inlet, Inlet... more) {
    return createEmpty().withInlets(inlet, more);
  }

  /** A shape with the given outlets and no inlets yet. */
  public static StreamletShape createWithOutlets(Outlet outlet, Outlet... more) {
    return createEmpty().withOutlets(outlet, more);
  }

  /** A copy of this shape with the given inlets in place of its inlets. */
  public StreamletShape withInlets(Inlet inlet, Inlet... more) {
    return new StreamletShape(join(inlet, more), outlets);
  }

  /** A copy of this shape with the given outlets in place of its outlets. */
  public StreamletShape withOutlets(Outlet outlet, Outlet... more) {
    return new StreamletShape(inlets, join(outlet, more));
  }

  /** The inlets, in declaration order. */
  public List<Inlet> inlets() {
    return inlets;
  }

  /** The outlets, in declaration order. */
  public List<Outlet> outlets() {
    return outlets;
  }

  /** All ports, inlets first. */
  public List<StreamletPort> ports() {
    List<StreamletPort> all = new ArrayList<>(inlets);
    all.addAll(outlets);
    return all;
  }

  /** The port with the given name, if the shape has one. */
  public Optional<StreamletPort> port(String name) {
    return ports().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** Whether a port name follows the naming rules. */
  public static boolean isValidPortName(String name) {
    return name != null && PORT_NAME.matcher(name).matches();
  }

  private void validate() {
    Set<String> seen = new HashSet<>();
    for (StreamletPort port : ports()) {
      if (!isValidPortName(port.name())) {
        throw new IllegalArgumentException(
            "Invalid port name '" + port.name() + "': use lowercase letters, digits and '-', "
                + "starting and ending with a letter or digit, at most 63 characters");
      }
      if (!seen.add(port.name())) {
        throw new IllegalArgumentException(
            "Duplicate port name '" + port.name() + "': inlet and outlet names must be unique within a streamlet");
      }
    }
  }

  private static <P> List<P> join(P first, P[] more) {
    List<P> all = new ArrayList<>(1 + more.length);
    all.add(first);
    all.addAll(Arrays.asList(more));
    return all;
  }

  @Override
  public String toString() {
    return "StreamletShape(inlets=" + names(inlets) + ", outlets=" + names(outlets) + ")";
  }

  private static List<String> names(List<? extends StreamletPort> ports) {
    return ports.stream().map(StreamletPort::name).toList();
  }
}
