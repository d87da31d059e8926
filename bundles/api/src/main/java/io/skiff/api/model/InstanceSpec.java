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
 * @param guestInit what the guest is told at first boot, or {@code null} for only its host name (the instance name)
 * @param qos CPU priority and disk/network limits, or {@code null} for none
 */
public record InstanceSpec(String name, String poolId, String cellId, int cores, long memoryBytes,
                           List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart,
                           String address, GuestInit guestInit, Qos qos) {

    /** Any free address of the address pool, no guest initialisation settings, no QoS. */
    public InstanceSpec(String name, String poolId, String cellId, int cores, long memoryBytes,
                        List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart) {
        this(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart, null, null, null);
    }

    /** No guest initialisation settings, no QoS. */
    public InstanceSpec(String name, String poolId, String cellId, int cores, long memoryBytes,
                        List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart, String address) {
        this(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart, address, null, null);
    }

    /** The same with other disks (everything else kept: address, guest initialisation, QoS). */
    public InstanceSpec withDisks(List<DiskSpec> newDisks) {
        return new InstanceSpec(name, poolId, cellId, cores, memoryBytes, List.copyOf(newDisks), profile,
                addressPoolId, autoStart, address, guestInit, qos);
    }

    /** The same with other guest initialisation settings. */
    public InstanceSpec withGuestInit(GuestInit init) {
        return new InstanceSpec(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart,
                address, init, qos);
    }

    /** The same with another quality of service. */
    public InstanceSpec withQos(Qos q) {
        return new InstanceSpec(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart,
                address, guestInit, q);
    }
}
