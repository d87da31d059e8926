/**
 * Skiff public API: task. Semantically versioned; vendors compile against it.
 */
@org.osgi.annotation.versioning.Version("0.3.0")
package io.skiff.api.task;
