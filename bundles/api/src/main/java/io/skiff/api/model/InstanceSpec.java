package io.skiff.api.model;

import java.util.List;

/**
 * What an instance should be: the desired state an owner asks for.
 *
 * @param name unique instance name
 * @param poolId compute pool to place it in
 * @param cellId a specific cell, or {@code null} to let the placement policy choose
 * @param cores virtual CPUs
 * @param memoryBytes guest memory
 * @param disks system disk first, then data disks
 * @param profile guest-OS device profile name, e.g. {@code linux-virtio}
 * @param addressPoolId address pool to take the address from, or {@code null} for the pool's default
 * @param autoStart start with the host
 * @param address a specific address of the address pool, or {@code null} for any free one
 */
public record InstanceSpec(String name, String poolId, String cellId, int cores, long memoryBytes,
                           List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart,
                           String address) {

    /** Any free address of the address pool. */
    public InstanceSpec(String name, String poolId, String cellId, int cores, long memoryBytes,
                        List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart) {
        this(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart, null);
    }
}
