package io.skiff.api.model;

import java.time.Instant;

/**
 * One activation of a Core or Cell component, registered as a service for as long as the activation lasts. A
 * live upgrade of a provider bundle must leave these untouched: same {@code activationId}, same {@code count}.
 *
 * @param component the component's name, e.g. {@code InstanceManager}
 * @param bundleSymbolicName the bundle holding it
 * @param activationId unique per activation (the identity of the component instance)
 * @param count how many times this component was activated since its bundle was started
 * @param activatedAt when this activation happened
 */
public record ComponentActivation(String component, String bundleSymbolicName, String activationId, long count,
                                  Instant activatedAt) {
}
