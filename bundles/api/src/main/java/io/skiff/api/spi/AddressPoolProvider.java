package io.skiff.api.spi;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.model.AddressRangeUsage;

import java.util.List;
import java.util.Optional;

/**
 * Address pools (IPAM): IPv4 ranges with gateway, DNS servers and domain, attached to compute pools, and the
 * bindings of their addresses to instances. No address is ever bound twice, also under concurrent calls.
 * Bad input fails with {@code SkiffException}s naming the field; a failed call changes nothing.
 * Registered with {@code skiff.provider} (e.g. {@code ipv4}).
 */
@org.osgi.annotation.versioning.ProviderType
public interface AddressPoolProvider {

    List<AddressPool> list();

    /** @throws io.skiff.api.service.SkiffException NOT_FOUND */
    AddressPool get(String poolId);

    /**
     * Creates a pool.
     *
     * @param pool name, ranges, prefix length, gateway, DNS servers, domain (id, attachments and time are set
     *     by the provider)
     * @throws io.skiff.api.service.SkiffException INVALID (malformed address, gateway outside the subnet,
     *     overlapping ranges), CONFLICT (name taken, range overlapping another pool's)
     */
    AddressPool create(AddressPool pool);

    /** Changes gateway, DNS servers and domain (not the ranges, see {@link #addRange}). */
    AddressPool update(String poolId, String gateway, List<String> dnsServers, String domain);

    /** @throws io.skiff.api.service.SkiffException CONFLICT while addresses of it are bound */
    void delete(String poolId);

    AddressPool addRange(String poolId, AddressRange range);

    /** @throws io.skiff.api.service.SkiffException CONFLICT while addresses of the range are bound */
    AddressPool removeRange(String poolId, AddressRange range);

    /** Instances of the compute pool take their addresses from this pool (a compute pool has at most one). */
    AddressPool attach(String poolId, String computePoolId);

    AddressPool detach(String poolId, String computePoolId);

    /** @return the address pool attached to a compute pool */
    Optional<AddressPool> forComputePool(String computePoolId);

    /** @return used and free addresses per range */
    List<AddressRangeUsage> usage(String poolId);

    /** @return the pool's bindings, by address */
    List<AddressBinding> bindings(String poolId);

    /** @return the binding held by an instance, in any pool */
    Optional<AddressBinding> bindingOf(String holder);

    /**
     * Binds an address to a holder. A holder that already holds an address of the pool keeps it (and gets it
     * again), unless it asks for another one.
     *
     * @param poolId address pool
     * @param holder who takes the address (an instance id)
     * @param requested a specific address, or {@code null} for the lowest free one
     * @return the bound address ({@link #bindingOf} gives the whole binding)
     * @throws io.skiff.api.service.SkiffException CONFLICT (requested address taken, pool exhausted),
     *     INVALID (requested address malformed or outside the pool's ranges)
     */
    String allocate(String poolId, String holder, String requested);

    /**
     * Checks, without binding it, that an address could be bound now (for failing fast before a task).
     *
     * @throws io.skiff.api.service.SkiffException as {@link #allocate} would
     */
    void checkAvailable(String poolId, String address);

    /** Moves a holder to another address of the pool (the old one is released). */
    AddressBinding rebind(String poolId, String holder, String address);

    /** Releases whatever the holder holds in the pool; tolerates a holder that holds nothing. */
    void release(String poolId, String holder);
}
