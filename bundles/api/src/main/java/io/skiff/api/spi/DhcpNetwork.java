package io.skiff.api.spi;

/**
 * Where and how a {@link DhcpServer} serves a cell's leases.
 *
 * @param bridge the host bridge the guests' interfaces join; the bridge needs an address in each served subnet
 * @param namespace the network namespace the bridge is in ({@code ip netns} name), or empty for the cell's own
 * @param leaseTime how long a lease lasts: a number with {@code s}, {@code m}, {@code h}, {@code d} or {@code w}
 *     (e.g. {@code 1h}), or {@code infinite}
 */
public record DhcpNetwork(String bridge, String namespace, String leaseTime) {
}
