package cloudflow.streamlets;

/** A port through which a streamlet receives records. */
public interface Inlet extends StreamletPort {}
