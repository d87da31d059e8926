package io.skiff.api.model;

/**
 * An inclusive range of IPv4 addresses.
 *
 * @param first first address
 * @param last last address
 */
public record AddressRange(String first, String last) {
}
