package io.skiff.osgi.support;

import io.skiff.api.model.ComponentActivation;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import java.time.Instant;
import java.util.Hashtable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registers a {@link ComponentActivation} service for each activation of one of this bundle's main components,
 * so an operator (and the live-upgrade tests) can see that updating a provider bundle re-activated nothing.
 * The counts live as long as this bundle's class loader: they start again only when the bundle itself is
 * updated or refreshed, which re-activates its components anyway.
 *
 * <p>This module is not a bundle: each bundle that uses the class embeds this package privately (bnd
 * {@code -conditionalpackage: io.skiff.osgi.support}), so the counts stay per bundle class loader.
 */
public final class ComponentActivations {
    // per class loader on purpose: the count must outlive the component instances it counts
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    private ComponentActivations() {
    }

    /** @return the registration to unregister when the component deactivates; {@code null} without OSGi */
    public static ServiceRegistration<ComponentActivation> register(BundleContext context, String component) {
        long count = COUNTS.computeIfAbsent(component, c -> new AtomicLong()).incrementAndGet();
        if (context == null) {
            return null;
        }
        ComponentActivation activation = new ComponentActivation(component, context.getBundle().getSymbolicName(),
                UUID.randomUUID().toString().substring(0, 8), count, Instant.now());
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("skiff.component", component);
        properties.put("skiff.activation", activation.activationId());
        properties.put("skiff.activation.count", count);
        return context.registerService(ComponentActivation.class, activation, properties);
    }

    /** Unregisters quietly (the bundle may be stopping, which unregistered it already). */
    public static void unregister(ServiceRegistration<ComponentActivation> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // nothing to do
            }
        }
    }
}
