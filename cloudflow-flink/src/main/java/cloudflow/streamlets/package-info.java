/**
 * The streamlet model shared by every runtime: ports, shapes and the functions that key records.
 * Names follow Cloudflow's Java DSL so existing streamlets compile unchanged.
 */
package cloudflow.streamlets;
