package cloudflow.streamlets;

import com.typesafe.config.Config;

/** What every streamlet runtime gives a running streamlet: its name and its own configuration. */
public interface StreamletContext {

  /** The name of this streamlet in the application. */
  String streamletRef();

  /**
   * This streamlet's config parameter values, from
   * {@code cloudflow.streamlets.<name>.config-parameters}, with the declared defaults as fallback.
   */
  Config streamletConfig();
}
