/**
 * Skiff public API: transport. Semantically versioned; vendors compile against it.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package io.skiff.api.transport;
