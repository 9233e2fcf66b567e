/**
 * The application's blueprint in a Spring application: loaded from properties or a file, its
 * streamlet names resolved to beans or classes, verified at startup, and the verify and describe
 * commands.
 */
package cloudflow.flink.spring.blueprint;
