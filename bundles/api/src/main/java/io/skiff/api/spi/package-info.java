/**
 * Skiff public API: spi. Semantically versioned; vendors compile against it.
 */
@org.osgi.annotation.versioning.Version("1.3.0")
package io.skiff.api.spi;
