package cloudflow.streamlets;

/** A port through which a streamlet emits records. */
public interface Outlet extends StreamletPort {}
