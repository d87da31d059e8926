package io.skiff.api.model;

import java.util.List;
import java.util.Map;

/**
 * What an instance should be: the desired state an owner asks for. In a create request, every field documented as
 * {@code null} for a default may be left out: the Core fills it in ({@link InstanceDefaults}, its settings), so the
 * spec of a created instance has every one of them set.
 *
 * @param name unique instance name
 * @param poolId compute pool to place it in
 * @param cellId a specific cell, or {@code null} to let the placement policy choose
 * @param cores virtual CPUs, or {@code null} at create for the Core's default ({@link InstanceDefaults#cores()},
 *     setting {@code defaultCores}); always set on a created instance (since version 2.0 of this package)
 * @param memoryBytes guest memory, or {@code null} at create for the Core's default
 *     ({@link InstanceDefaults#memoryBytes()}, setting {@code defaultMemoryMib}); always set on a created instance
 *     (since version 2.0 of this package)
 * @param disks system disk first, then data disks
 * @param profile guest-OS device profile name, e.g. {@code linux-virtio}, or {@code null} at create for the Core's
 *     default ({@link InstanceDefaults#profile()})
 * @param addressPoolId address pool to take the address from, or {@code null} for the pool's default
 * @param autoStart start with the host
 * @param address a specific address of the address pool, or {@code null} for any free one
 * @param guestInit what the guest is told at first boot, or {@code null} for only its host name (the instance name)
 * @param qos CPU priority and disk/network limits, or {@code null} for none
 * @param media id of the ISO medium in the instance's media CD-ROM drive, or {@code null} for an empty drive (at
 *     create also a medium's name)
 * @param bootFrom what the instance boots from: {@code disk} (its system disk; {@code null} means the same) or
 *     {@code cdrom} (the media drive first, then the system disk)
 * @param restartPolicy what the instance's cell does when its guest stops without being asked to:
 *     {@link #RESTART_NEVER} ({@code null} means the same), {@link #RESTART_ON_FAILURE} (restart after a crash of
 *     QEMU or a guest panic, not after the guest shut itself down) or {@link #RESTART_ALWAYS}; restarts back off and
 *     stop at a limit (since version 2.3 of this package)
 * @param labels what the owner tags the instance with, {@code key: value} ({@link Labels} has the rules), sorted by
 *     key; lists filter by them ({@link InstanceFilter#labels()}); never {@code null}, empty for none (since version
 *     2.6 of this package)
 */
public record InstanceSpec(String name, String poolId, String cellId, Integer cores, Long memoryBytes,
                           List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart,
                           String address, GuestInit guestInit, Qos qos, String media, String bootFrom,
                           String restartPolicy, Map<String, String> labels) {

    /** Labels are kept sorted by key; {@code null} is none. */
    public InstanceSpec {
        labels = Labels.sorted(labels);
    }

    /** No labels (the canonical constructor of version 2.3 to 2.5 of this package). */
    public InstanceSpec(String name, String poolId, String cellId, Integer cores, Long memoryBytes,
                        List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart,
                        String address, GuestInit guestInit, Qos qos, String media, String bootFrom,
                        String restartPolicy) {
        this(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart, address, guestInit,
                qos, media, bootFrom, restartPolicy, null);
    }

    /** Boots from the system disk. */
    public static final String BOOT_DISK = "disk";
    /** Boots from the media CD-ROM drive, then the system disk. */
    public static final String BOOT_CDROM = "cdrom";
    /** Never restarted by its cell (the default). */
    public static final String RESTART_NEVER = "never";
    /** Restarted by its cell when QEMU crashed or was killed, or the guest panicked; not after a clean shutdown. */
    public static final String RESTART_ON_FAILURE = "on-failure";
    /** Restarted by its cell whenever it stops without Skiff having stopped it. */
    public static final String RESTART_ALWAYS = "always";

    /** Never restarted by its cell ({@link #RESTART_NEVER}). */
    public InstanceSpec(String name, String poolId, String cellId, Integer cores, Long memoryBytes,
                        List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart,
                        String address, GuestInit guestInit, Qos qos, String media, String bootFrom) {
        this(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart, address, guestInit,
                qos, media, bootFrom, null);
    }

    /** An empty media drive, booting from the system disk. */
    public InstanceSpec(String name, String poolId, String cellId, Integer cores, Long memoryBytes,
                        List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart,
                        String address, GuestInit guestInit, Qos qos) {
        this(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart, address, guestInit,
                qos, null, null);
    }

    /** Any free address of the address pool, no guest initialisation settings, no QoS. */
    public InstanceSpec(String name, String poolId, String cellId, Integer cores, Long memoryBytes,
                        List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart) {
        this(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart, null, null, null);
    }

    /** No guest initialisation settings, no QoS. */
    public InstanceSpec(String name, String poolId, String cellId, Integer cores, Long memoryBytes,
                        List<DiskSpec> disks, String profile, String addressPoolId, boolean autoStart, String address) {
        this(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart, address, null, null);
    }

    /** The same with other disks (everything else kept: address, guest initialisation, QoS). */
    public InstanceSpec withDisks(List<DiskSpec> newDisks) {
        return new InstanceSpec(name, poolId, cellId, cores, memoryBytes, List.copyOf(newDisks), profile,
                addressPoolId, autoStart, address, guestInit, qos, media, bootFrom, restartPolicy, labels);
    }

    /** The same with another medium in the media drive ({@code null}: empty). */
    public InstanceSpec withMedia(String mediaId) {
        return new InstanceSpec(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart,
                address, guestInit, qos, mediaId, bootFrom, restartPolicy, labels);
    }

    /** The same with another boot device ({@link #BOOT_DISK} or {@link #BOOT_CDROM}). */
    public InstanceSpec withBootFrom(String device) {
        return new InstanceSpec(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart,
                address, guestInit, qos, media, device, restartPolicy, labels);
    }

    /** The same with another name, number of cores and memory size. */
    public InstanceSpec withShape(String newName, int newCores, long newMemoryBytes) {
        return new InstanceSpec(newName, poolId, cellId, newCores, newMemoryBytes, disks, profile, addressPoolId,
                autoStart, address, guestInit, qos, media, bootFrom, restartPolicy, labels);
    }

    /** The same with other labels ({@code null}: none). */
    public InstanceSpec withLabels(Map<String, String> newLabels) {
        return new InstanceSpec(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart,
                address, guestInit, qos, media, bootFrom, restartPolicy, newLabels);
    }

    /** @return whether the instance boots from its media drive first */
    public boolean bootsFromCdrom() {
        return BOOT_CDROM.equals(bootFrom);
    }

    /** The same with other guest initialisation settings. */
    public InstanceSpec withGuestInit(GuestInit init) {
        return new InstanceSpec(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart,
                address, init, qos, media, bootFrom, restartPolicy, labels);
    }

    /** The same with another quality of service. */
    public InstanceSpec withQos(Qos q) {
        return new InstanceSpec(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart,
                address, guestInit, q, media, bootFrom, restartPolicy, labels);
    }

    /** The same with another restart policy. */
    public InstanceSpec withRestartPolicy(String policy) {
        return new InstanceSpec(name, poolId, cellId, cores, memoryBytes, disks, profile, addressPoolId, autoStart,
                address, guestInit, qos, media, bootFrom, policy, labels);
    }

    /** @return the restart policy, {@link #RESTART_NEVER} when none is set */
    public String restartPolicyOrNever() {
        return restartPolicy == null ? RESTART_NEVER : restartPolicy;
    }
}
