package io.skiff.api.model;

import java.util.List;

/**
 * A pool of IPv4 addresses handed to instances by DHCP.
 *
 * @param id unique id
 * @param name unique name
 * @param ranges address ranges
 * @param prefixLength network prefix length, e.g. 24
 * @param gateway default gateway
 * @param dnsServers DNS servers handed to guests
 * @param domain optional DNS domain
 */
public record AddressPool(String id, String name, List<AddressRange> ranges, int prefixLength, String gateway,
                          List<String> dnsServers, String domain) {
}
