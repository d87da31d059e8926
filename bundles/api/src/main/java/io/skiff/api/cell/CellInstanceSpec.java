package io.skiff.api.cell;

import java.util.List;

/**
 * An instance as the Core asks a cell to make it.
 *
 * @param instanceId instance id
 * @param name display name
 * @param cores virtual CPUs
 * @param memoryBytes guest memory
 * @param profile guest-OS device profile name
 * @param disks system disk first
 * @param autoStart start with the host
 */
public record CellInstanceSpec(String instanceId, String name, int cores, long memoryBytes, String profile,
                               List<CellDisk> disks, boolean autoStart) {
}
