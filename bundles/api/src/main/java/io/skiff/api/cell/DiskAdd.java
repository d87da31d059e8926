package io.skiff.api.cell;

/**
 * Request of {@link CellProtocol#ADD_DISK}: add an empty data disk as the instance's last disk.
 *
 * @param instanceId instance id
 * @param disk the disk (the cell picks the volume name when {@code volume} is {@code null} or taken)
 */
public record DiskAdd(String instanceId, CellDisk disk) {
}
