/**
 * Skiff public API: constants shared by every bundle.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.skiff.api;
