package io.skiff.api.spi;

/**
 * A Skiff-owned domain as the hypervisor sees it.
 *
 * @param instanceId the instance the domain belongs to
 * @param state its state
 * @param domainId the hypervisor's runtime id (-1 when not running)
 */
public record DomainInfo(String instanceId, DomainState state, int domainId) {
}
