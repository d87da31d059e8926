package io.skiff.api.cell;

/**
 * Request of {@link CellProtocol#RESIZE_DISK}: grow one disk of an instance.
 *
 * @param instanceId instance id
 * @param disk index of the disk (0 = system disk)
 * @param sizeBytes the new virtual size, larger than the current one
 */
public record DiskResize(String instanceId, int disk, long sizeBytes) {
}
