package io.skiff.api.service;

/**
 * What the Core asks of a running guest through its QEMU guest agent. Provided by the guest-initialisation bundle
 * ({@code skiff-guest-init}); absent when that bundle is not installed with the Core.
 */
@org.osgi.annotation.versioning.ProviderType
public interface GuestAgentService {

    /**
     * Sets a user's password inside the running guest of an instance the caller may see ({@code user} is the
     * guest's account); the password is hashed before it leaves the Core.
     *
     * @throws SkiffException {@code INVALID} naming {@code user} or {@code password}, {@code CONFLICT instance} when
     *     the instance does not run, {@code CONFLICT guestAgent} when its guest runs no agent or the agent refuses
     */
    String resetGuestPassword(String idOrName, String user, String password, AuthenticatedUser caller);

    /**
     * Changes the running guest's host name (and the instance's guest-initialisation settings, for its next first
     * boot).
     *
     * @throws SkiffException {@code INVALID hostname}, {@code CONFLICT instance} when the instance does not run,
     *     {@code CONFLICT guestAgent} when its guest runs no agent or the command fails in the guest
     */
    String changeGuestHostname(String idOrName, String hostname, AuthenticatedUser caller);
}
