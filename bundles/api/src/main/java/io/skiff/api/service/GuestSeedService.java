package io.skiff.api.service;

/**
 * The guest-initialisation settings the Core keeps with each instance (what its seed tells the guest at first boot),
 * for providers that change a running guest and keep the settings in step (the guest agent's host name change).
 */
@org.osgi.annotation.versioning.ProviderType
public interface GuestSeedService {

    /**
     * Records the host name a running guest was given, so that the next first boot (e.g. after a system reset) gives
     * the same. An instance without guest-initialisation settings is left as it is.
     *
     * @param instanceId the instance's id
     * @throws SkiffException {@code NOT_FOUND instance} for an unknown instance
     */
    void recordHostname(String instanceId, String hostname);
}
