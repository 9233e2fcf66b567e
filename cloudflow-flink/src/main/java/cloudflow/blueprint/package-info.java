/**
 * Blueprints: which streamlets an application has and which topics connect their outlets to inlets,
 * read from HOCON ({@code blueprint.conf}) or properties, and verified against the streamlets'
 * shapes before anything runs.
 */
package cloudflow.blueprint;
