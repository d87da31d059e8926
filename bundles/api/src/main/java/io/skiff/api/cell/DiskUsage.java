package io.skiff.api.cell;

/**
 * Reply of {@link CellProtocol#DISK_USAGE}: one disk as its cell sees it.
 *
 * @param instanceId instance id
 * @param disk index of the disk (0 = system disk)
 * @param capacityBytes virtual size
 * @param allocationBytes space the volume takes on the cell's storage
 * @param dataEndBytes where the data the guest can read ends (through the backing chain); a shrink must keep it
 */
public record DiskUsage(String instanceId, int disk, long capacityBytes, long allocationBytes, long dataEndBytes) {
}
