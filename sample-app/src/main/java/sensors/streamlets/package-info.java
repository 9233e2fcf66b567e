/** The streamlets of the sensor pipeline. */
package sensors.streamlets;
