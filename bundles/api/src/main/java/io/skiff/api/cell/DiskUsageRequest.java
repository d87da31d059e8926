package io.skiff.api.cell;

/**
 * Request of {@link CellProtocol#DISK_USAGE}.
 *
 * @param instanceId instance id
 * @param disk index of the disk (0 = system disk)
 */
public record DiskUsageRequest(String instanceId, int disk) {
}
