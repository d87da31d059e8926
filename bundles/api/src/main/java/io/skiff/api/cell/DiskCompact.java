package io.skiff.api.cell;

/**
 * Request of {@link CellProtocol#COMPACT_DISK}: compact one disk of a stopped instance.
 *
 * @param instanceId instance id
 * @param disk index of the disk (0 = system disk)
 */
public record DiskCompact(String instanceId, int disk) {
}
