/**
 * JSON ports on top of raw ones, for topics that systems outside the blueprint write or read as JSON:
 * records are plain Java classes (records, POJOs) mapped by Jackson. Like raw ports, the blueprint
 * checks no schema for them.
 */
package cloudflow.streamlets.json;
