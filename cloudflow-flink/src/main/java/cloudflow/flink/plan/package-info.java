/**
 * What an application asks to run, as plain records without Spring or Flink runtime types: each
 * streamlet's definition (topics, configuration, delivery guarantee, bad-record handling, Flink
 * settings, restore choice). The Kafka wiring and the runner read them; nothing here depends on either.
 */
package cloudflow.flink.plan;
