package io.skiff.api.spi;

/**
 * A storage volume.
 *
 * @param pool the storage pool
 * @param name volume name (derived from the instance id, so orphans can be found)
 * @param path path or URL the hypervisor opens
 * @param format e.g. {@code qcow2}
 * @param capacityBytes virtual size
 * @param allocationBytes space used
 */
public record Volume(String pool, String name, String path, String format, long capacityBytes, long allocationBytes) {
}
