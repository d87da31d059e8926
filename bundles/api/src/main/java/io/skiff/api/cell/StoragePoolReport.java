package io.skiff.api.cell;

/**
 * Capacity of one storage pool of a cell, as the cell reports it.
 *
 * @param name pool name
 * @param provider {@code skiff.provider} of its backend
 * @param capacityBytes total
 * @param allocationBytes used
 * @param availableBytes free
 */
public record StoragePoolReport(String name, String provider, long capacityBytes, long allocationBytes,
                                long availableBytes) {
}
