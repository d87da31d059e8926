package io.skiff.api.model;

import java.util.List;

/**
 * What an instance's guest is told at its first boot (a cloud-init NoCloud seed or compatible).
 *
 * @param hostname the guest's host name; {@code null} means the instance name
 * @param adminUser a user to create with administrator rights, or {@code null}
 * @param adminPassword that user's password in plain text: only in a request; the Core turns it into
 *                      {@code adminPasswordHash} at once and never stores, logs or sends it
 * @param adminPasswordHash the password as a SHA-512 crypt(3) hash ({@code $6$...}), as stored
 * @param sshKeys public keys authorised for the admin user
 * @param mounts data disks to format (when blank) and mount
 */
public record GuestInit(String hostname, String adminUser, String adminPassword, String adminPasswordHash,
                        List<String> sshKeys, List<Mount> mounts) {

    public GuestInit {
        sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /** The same without the plain password. */
    public GuestInit withPasswordHash(String hash) {
        return new GuestInit(hostname, adminUser, null, hash, sshKeys, mounts);
    }

    @Override
    public String toString() {
        return "GuestInit[hostname=" + hostname + ", adminUser=" + adminUser + ", adminPassword="
                + (adminPassword == null ? "none" : "***") + ", adminPasswordHash="
                + (adminPasswordHash == null ? "none" : "***") + ", sshKeys=" + sshKeys.size() + ", mounts=" + mounts
                + "]";
    }

    /**
     * A data disk the guest formats (when blank) and mounts.
     *
     * @param disk the disk's index in the instance's disks (1 = the first data disk)
     * @param filesystem {@code ext4} (when {@code null}), {@code ext3}, {@code xfs}, {@code btrfs} or {@code vfat}
     * @param mountPoint an absolute path other than {@code /}, e.g. {@code /data}: names of letters, digits,
     *                   {@code .}, {@code _} and {@code -}, none empty or {@code ..}
     */
    public record Mount(int disk, String filesystem, String mountPoint) {
    }
}
