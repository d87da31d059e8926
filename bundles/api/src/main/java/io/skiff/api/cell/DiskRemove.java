package io.skiff.api.cell;

/**
 * Request of {@link CellProtocol#REMOVE_DISK}: remove a data disk of an instance and delete its volume.
 *
 * @param instanceId instance id
 * @param disk index of the disk (1 or more; the system disk 0 is never removed)
 */
public record DiskRemove(String instanceId, int disk) {
}
