package io.skiff.api.cell;

/**
 * Request of {@link CellProtocol#RESIZE_DISK}: grow one disk of an instance, or shrink one of a stopped instance.
 *
 * @param instanceId instance id
 * @param disk index of the disk (0 = system disk)
 * @param sizeBytes the new virtual size
 */
public record DiskResize(String instanceId, int disk, long sizeBytes) {
}
