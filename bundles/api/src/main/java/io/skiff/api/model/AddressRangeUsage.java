package io.skiff.api.model;

/**
 * How much of one range of an address pool is in use.
 *
 * @param first first address of the range
 * @param last last address of the range
 * @param size addresses in the range
 * @param used addresses bound to instances
 * @param free addresses still to hand out
 */
public record AddressRangeUsage(String first, String last, long size, long used, long free) {
}
