package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;

import java.util.Locale;

/**
 * How this host reaches the export: {@link #LIBNFS} through QEMU's userspace NFS client (no kernel client, no mount
 * privileges; volumes are {@code nfs://} URLs), {@link #MOUNT} through a libvirt {@code netfs} pool that the
 * kernel's NFS client mounts (volumes are files under the mount point).
 */
public enum AccessMode {
    LIBNFS,
    MOUNT;

    /** @throws SkiffException INVALID (field {@code mode}) for anything but {@code libnfs} and {@code mount} */
    static AccessMode parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.equals("libnfs")) {
            return LIBNFS;
        }
        if (v.equals("mount")) {
            return MOUNT;
        }
        throw SkiffException.invalid("mode", "mode '" + value + "' of io.skiff.storage.nfs is neither 'libnfs' (QEMU's "
                + "own NFS client) nor 'mount' (a libvirt netfs pool, kernel NFS client)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
