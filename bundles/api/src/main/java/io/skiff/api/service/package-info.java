/**
 * Skiff public API: service. Semantically versioned; vendors compile against it.
 */
@org.osgi.annotation.versioning.Version("2.2.0")
package io.skiff.api.service;
