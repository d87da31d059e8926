package io.skiff.api.spi;

/**
 * Capacity of a storage pool.
 *
 * @param capacityBytes total
 * @param allocationBytes used
 * @param availableBytes free
 */
public record StoragePoolUsage(long capacityBytes, long allocationBytes, long availableBytes) {
}
