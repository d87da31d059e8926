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
 * @param address the address the cell serves the instance by DHCP, or {@code null}
 * @param guestInit what the guest's seed says (the password only as a hash), or {@code null} for no seed
 * @param qos CPU priority and disk/network limits, or {@code null} for none
 * @param media the ISO in the instance's media CD-ROM drive (fetched from the Core like an image, format
 *     {@code iso}), or {@code null} for an empty drive
 * @param bootFrom {@code disk} ({@code null} means the same) or {@code cdrom}: the media drive boots first
 * @param restartPolicy {@code never} ({@code null} means the same), {@code on-failure} or {@code always}: what the
 *     cell does when the guest stops without being asked to (see {@link io.skiff.api.model.InstanceSpec})
 * @param fenceAfterSeconds set for an instance of a failover pool: the cell destroys its domain when it has not
 *     seen the Core for this many seconds (the Core starts it elsewhere a safety margin later); {@code null} for
 *     any other instance (since 0.9 of this package)
 */
public record CellInstanceSpec(String instanceId, String name, int cores, long memoryBytes, String profile,
                               List<CellDisk> disks, boolean autoStart, CellAddress address,
                               io.skiff.api.spi.GuestInitSpec guestInit, io.skiff.api.model.Qos qos,
                               ImageSource media, String bootFrom, String restartPolicy,
                               Integer fenceAfterSeconds) {

    /** Never restarted by the cell, not fenced (no failover pool). */
    public CellInstanceSpec(String instanceId, String name, int cores, long memoryBytes, String profile,
                            List<CellDisk> disks, boolean autoStart, CellAddress address,
                            io.skiff.api.spi.GuestInitSpec guestInit, io.skiff.api.model.Qos qos,
                            ImageSource media, String bootFrom) {
        this(instanceId, name, cores, memoryBytes, profile, disks, autoStart, address, guestInit, qos, media, bootFrom,
                null, null);
    }

    /** An empty media drive, booting from the system disk. */
    public CellInstanceSpec(String instanceId, String name, int cores, long memoryBytes, String profile,
                            List<CellDisk> disks, boolean autoStart, CellAddress address,
                            io.skiff.api.spi.GuestInitSpec guestInit, io.skiff.api.model.Qos qos) {
        this(instanceId, name, cores, memoryBytes, profile, disks, autoStart, address, guestInit, qos, null, null);
    }

    /** An instance without an address, seed and QoS. */
    public CellInstanceSpec(String instanceId, String name, int cores, long memoryBytes, String profile,
                            List<CellDisk> disks, boolean autoStart) {
        this(instanceId, name, cores, memoryBytes, profile, disks, autoStart, null, null, null);
    }

    /** An instance without seed and QoS. */
    public CellInstanceSpec(String instanceId, String name, int cores, long memoryBytes, String profile,
                            List<CellDisk> disks, boolean autoStart, CellAddress address) {
        this(instanceId, name, cores, memoryBytes, profile, disks, autoStart, address, null, null);
    }

    /** The same with other disks (everything else kept: address, seed, QoS). */
    public CellInstanceSpec withDisks(List<CellDisk> newDisks) {
        return new CellInstanceSpec(instanceId, name, cores, memoryBytes, profile, List.copyOf(newDisks), autoStart,
                address, guestInit, qos, media, bootFrom, restartPolicy, fenceAfterSeconds);
    }

    /** The same with another medium in the media drive ({@code null}: empty); everything else kept. */
    public CellInstanceSpec withMedia(ImageSource newMedia) {
        return new CellInstanceSpec(instanceId, name, cores, memoryBytes, profile, disks, autoStart, address,
                guestInit, qos, newMedia, bootFrom, restartPolicy, fenceAfterSeconds);
    }
}
