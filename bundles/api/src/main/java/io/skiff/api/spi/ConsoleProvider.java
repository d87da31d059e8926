package io.skiff.api.spi;

import io.skiff.api.service.AuthenticatedUser;

/**
 * Graphical consoles of instances, opened from a browser through a proxy. Registered with {@code skiff.provider}
 * (e.g. {@code vnc}). The provider never hands the console's password to the browser.
 */
public interface ConsoleProvider {

    /**
     * Issues a one-time ticket for the console of a running instance.
     *
     * @param instanceIdOrName the instance
     * @param user who asks; only the instance's owner or an admin may open it
     * @return the ticket, valid for a short time and for one connection
     * @throws io.skiff.api.service.SkiffException {@code NOT_FOUND} for an unknown instance or one the user may
     *     not see, {@code CONFLICT} when it is not running
     */
    ConsoleTicket open(String instanceIdOrName, AuthenticatedUser user);
}
