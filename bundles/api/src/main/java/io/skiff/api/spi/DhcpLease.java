package io.skiff.api.spi;

import java.util.List;

/**
 * A static DHCP lease: the instance's interface gets its address and hostname, and its address pool's options.
 *
 * @param mac the interface's MAC address
 * @param address the IPv4 address the Core bound to the instance
 * @param prefixLength the subnet's prefix length
 * @param hostname the guest's hostname
 * @param addressPoolId the address pool the address comes from (leases of one pool share its options)
 * @param gateway the pool's default gateway, or {@code null}
 * @param dnsServers the pool's DNS servers (may be empty)
 * @param domain the pool's DNS domain, or {@code null}
 */
public record DhcpLease(String mac, String address, int prefixLength, String hostname, String addressPoolId,
                        String gateway, List<String> dnsServers, String domain) {
}
