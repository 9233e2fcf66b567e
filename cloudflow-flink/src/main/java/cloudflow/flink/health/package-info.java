/** When a streamlet's job counts as live and as ready: restart loops, stalled checkpoints, settling after a restart. */
package cloudflow.flink.health;
