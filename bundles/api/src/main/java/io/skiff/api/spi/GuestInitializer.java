package io.skiff.api.spi;

/**
 * Tells a guest what to be at first boot (hostname, users, keys, disks) through a seed the hypervisor attaches,
 * e.g. a cloud-init NoCloud ISO. Runs on the Cell; registered with {@code skiff.provider} (e.g. {@code nocloud}).
 */
public interface GuestInitializer {

    /**
     * Writes (or rewrites) the seed of an instance.
     *
     * @return the seed as the hypervisor attaches it (a read-only cdrom)
     */
    DiskAttachment prepareSeed(String instanceId, GuestInitSpec spec);

    /** Removes an instance's seed; tolerates one that does not exist. */
    void removeSeed(String instanceId);
}
