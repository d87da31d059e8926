package io.skiff.api.model;

import java.util.List;

/**
 * One provider of an SPI as a node's framework has it: which bundle (and version) serves it and what depends on
 * it. Shown by {@code skiff:provider-list} and {@code GET /api/v1/providers}.
 *
 * @param spi the SPI's simple name, e.g. {@code StorageBackend}
 * @param name the provider's {@code skiff.provider} (for guest profiles, the profile name)
 * @param bundleId id of the bundle registering it
 * @param bundleSymbolicName that bundle's symbolic name
 * @param bundleVersion that bundle's version
 * @param serviceId the service id of the registration (changes when the provider is re-registered)
 * @param usedBy what depends on it: instance names, or the setting that selects it; empty when unused
 */
public record ProviderInfo(String spi, String name, long bundleId, String bundleSymbolicName, String bundleVersion,
                           long serviceId, List<String> usedBy) {

    public ProviderInfo {
        usedBy = usedBy == null ? List.of() : List.copyOf(usedBy);
    }

    /** @return whether anything depends on this provider */
    public boolean inUse() {
        return !usedBy.isEmpty();
    }
}
