package io.skiff.api.service;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.model.AddressRangeUsage;

import java.util.List;
import java.util.Optional;

/**
 * Address pools (IPAM) as REST and the shell manage them: the Core answers them with the address pool provider its
 * settings name ({@code addressPoolProvider} of {@code io.skiff.core.instances}), so the edges never choose a
 * provider themselves. Every operation fails with {@code provider-unavailable} (UNAVAILABLE) naming that provider
 * while it is not registered; otherwise it answers as {@link io.skiff.api.spi.AddressPoolProvider} does. The caller
 * is taken as the other services take it; no visibility rule applies to address pools (yet).
 */
@org.osgi.annotation.versioning.ProviderType
public interface AddressPoolService {

    List<AddressPool> list(AuthenticatedUser caller);

    /** @throws SkiffException NOT_FOUND */
    AddressPool get(String poolId, AuthenticatedUser caller);

    /**
     * @param pool name, ranges, prefix length, gateway, DNS servers, domain
     * @throws SkiffException INVALID, CONFLICT (see {@link io.skiff.api.spi.AddressPoolProvider#create})
     */
    AddressPool create(AddressPool pool, AuthenticatedUser caller);

    /** Changes gateway, DNS servers and domain (not the ranges, see {@link #addRange}). */
    AddressPool update(String poolId, String gateway, List<String> dnsServers, String domain,
                       AuthenticatedUser caller);

    /** @throws SkiffException CONFLICT while addresses of it are bound */
    void delete(String poolId, AuthenticatedUser caller);

    AddressPool addRange(String poolId, AddressRange range, AuthenticatedUser caller);

    /** @throws SkiffException CONFLICT while addresses of the range are bound */
    AddressPool removeRange(String poolId, AddressRange range, AuthenticatedUser caller);

    /** Instances of the compute pool take their addresses from this pool (a compute pool has at most one). */
    AddressPool attach(String poolId, String computePoolId, AuthenticatedUser caller);

    AddressPool detach(String poolId, String computePoolId, AuthenticatedUser caller);

    /** @return the address pool attached to a compute pool */
    Optional<AddressPool> forComputePool(String computePoolId, AuthenticatedUser caller);

    /** @return used and free addresses per range */
    List<AddressRangeUsage> usage(String poolId, AuthenticatedUser caller);

    /** @return the pool's bindings, by address */
    List<AddressBinding> bindings(String poolId, AuthenticatedUser caller);

    /** @return the binding held by an instance, in any pool */
    Optional<AddressBinding> bindingOf(String instanceId, AuthenticatedUser caller);
}
