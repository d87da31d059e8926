package io.skiff.api.model;

import java.time.Instant;

/**
 * An address of an address pool bound to its holder (an instance).
 *
 * @param poolId the address pool
 * @param address the IPv4 address
 * @param holder the instance id holding it
 * @param boundAt when it was bound
 */
public record AddressBinding(String poolId, String address, String holder, Instant boundAt) {
}
