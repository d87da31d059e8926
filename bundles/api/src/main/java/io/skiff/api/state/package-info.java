/**
 * Skiff public API: state. Semantically versioned; vendors compile against it.
 *
 * <p>0.2: {@link io.skiff.api.state.StateStore#commitAsync}.
 */
@org.osgi.annotation.versioning.Version("0.3.0")
package io.skiff.api.state;
