package io.skiff.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A pool of IPv4 addresses that the cells hand to instances by DHCP (a static lease per instance).
 * All ranges lie in one subnet: the gateway's network of {@code prefixLength} bits.
 *
 * @param id unique id (also the name, which is unique and immutable)
 * @param name unique name
 * @param ranges address ranges, none overlapping (also not with other pools' ranges)
 * @param prefixLength network prefix length, e.g. 24
 * @param gateway default gateway, inside the subnet
 * @param dnsServers DNS servers handed to guests
 * @param domain optional DNS domain
 * @param computePools compute pools whose instances take their addresses from this pool
 * @param createdAt when the pool was created
 */
public record AddressPool(String id, String name, List<AddressRange> ranges, int prefixLength, String gateway,
                          List<String> dnsServers, String domain, List<String> computePools, Instant createdAt) {

    /** A pool attached to no compute pool yet. */
    public AddressPool(String id, String name, List<AddressRange> ranges, int prefixLength, String gateway,
                       List<String> dnsServers, String domain) {
        this(id, name, ranges, prefixLength, gateway, dnsServers, domain, List.of(), null);
    }
}
