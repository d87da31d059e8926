package io.skiff.api.spi;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SkiffException;

/**
 * Graphical consoles of instances. Registered with {@code skiff.provider} (e.g. {@code vnc}). A provider that
 * serves browsers opens them through a proxy with one-time tickets and never hands the console's password to
 * the browser.
 */
public interface ConsoleProvider {

    /** @return where the running instance's console server listens, with its password (for the proxy itself) */
    ConsoleEndpoint endpoint(String instanceId);

    /**
     * Issues a one-time ticket for the console of a running instance.
     *
     * @param instanceIdOrName the instance
     * @param user who asks; only the instance's owner or an admin may open it
     * @return the ticket, valid for a short time and for one connection
     * @throws SkiffException {@code NOT_FOUND} for an unknown instance or one the user may not see,
     *     {@code CONFLICT} when it is not running, {@code UNAVAILABLE} when this provider serves no browsers
     */
    default ConsoleTicket open(String instanceIdOrName, AuthenticatedUser user) {
        throw SkiffException.unavailable("console provider " + getClass().getName() + " opens no browser consoles");
    }
}
