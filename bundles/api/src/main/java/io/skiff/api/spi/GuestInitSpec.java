package io.skiff.api.spi;

import java.util.List;

/**
 * What a guest should be at its first boot: the platform says <em>what</em>, the guest's own initialisation
 * (cloud-init or compatible) knows <em>how</em>.
 *
 * @param hostname the guest's host name
 * @param adminUser a user to create with administrator rights, or {@code null}
 * @param adminPasswordHash that user's password as a SHA-512 crypt(3) hash ({@code $6$...}), or {@code null};
 *                          plain passwords never travel further than the Core
 * @param sshKeys public keys authorised for the admin user (and root where the guest allows it)
 * @param dataDisks data disks to format and mount at first boot
 */
public record GuestInitSpec(String hostname, String adminUser, String adminPasswordHash, List<String> sshKeys,
                            List<DataDiskMount> dataDisks) {

    public GuestInitSpec {
        sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
        dataDisks = dataDisks == null ? List.of() : List.copyOf(dataDisks);
    }

    /** Only a host name. */
    public static GuestInitSpec hostnameOnly(String hostname) {
        return new GuestInitSpec(hostname, null, null, List.of(), List.of());
    }

    /**
     * A data disk the guest formats (when blank) and mounts.
     *
     * @param device the guest's device name, e.g. {@code vdb}
     * @param filesystem e.g. {@code ext4}
     * @param mountPoint e.g. {@code /data}
     */
    public record DataDiskMount(String device, String filesystem, String mountPoint) {
    }
}
