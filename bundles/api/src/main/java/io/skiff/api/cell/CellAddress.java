package io.skiff.api.cell;

import java.util.List;

/**
 * The network identity a cell hands an instance by DHCP (a static lease for the instance's MAC).
 *
 * @param addressPoolId the address pool it comes from
 * @param address the IPv4 address
 * @param prefixLength the subnet's prefix length
 * @param gateway default gateway
 * @param dnsServers DNS servers
 * @param domain DNS domain, or {@code null}
 * @param hostname the guest's hostname
 */
public record CellAddress(String addressPoolId, String address, int prefixLength, String gateway,
                          List<String> dnsServers, String domain, String hostname) {
}
