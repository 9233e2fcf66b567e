/**
 * Why a streamlet cannot start, as types: each names what is wrong and the runtime setting that
 * fixes it; the Spring side maps those settings to its property names.
 */
package cloudflow.flink.startup;
