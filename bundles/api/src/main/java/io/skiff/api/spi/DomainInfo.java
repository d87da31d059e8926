package io.skiff.api.spi;

import java.util.List;

/**
 * A Skiff-owned domain as the hypervisor sees it.
 *
 * @param instanceId the instance the domain belongs to
 * @param state its state
 * @param domainId the hypervisor's runtime id (-1 when not running)
 * @param macs MAC addresses of its network interfaces
 */
public record DomainInfo(String instanceId, DomainState state, int domainId, List<String> macs) {

    /** A domain whose interfaces are not listed. */
    public DomainInfo(String instanceId, DomainState state, int domainId) {
        this(instanceId, state, domainId, List.of());
    }
}
