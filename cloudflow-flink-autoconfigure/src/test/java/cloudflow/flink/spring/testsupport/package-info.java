/** Streamlets, stubs and assertions shared by the auto-configuration tests. */
package cloudflow.flink.spring.testsupport;
