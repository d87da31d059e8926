package io.skiff.core.internal.instance;

import io.skiff.guestinput.GuestInput;
import io.skiff.api.model.GuestInit;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.GuestInitSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Guest initialisation in the Core: checks a request (fields named {@code guestInit.*}), turns a plain admin
 * password into a SHA-512 crypt(3) hash at once (the plain text is never stored, logged or sent to a cell), and
 * maps data-disk indexes to the guest's device names.
 */
final class GuestInits {

    private GuestInits() {
    }

    /**
     * Checks a request's guest initialisation and hashes its password. The rules are {@link GuestInput}'s, which
     * the Cell checks the seed with again; what is the Core's alone is the defaults (host name, file system) and
     * that a mount names one of the instance's data disks once.
     *
     * @param instanceName the default host name
     * @param diskCount how many disks the instance has (mounts refer to 1..diskCount-1)
     * @return what is stored: never a plain password
     */
    static GuestInit validate(GuestInit init, String instanceName, int diskCount) {
        if (init == null) {
            return new GuestInit(GuestInput.hostname("guestInit.hostname", instanceName), null, null, null, List.of(), List.of());
        }
        String hostname = GuestInput.hostname("guestInit.hostname",
                init.hostname() == null || init.hostname().isEmpty() ? instanceName : init.hostname());
        String user = init.adminUser() == null || init.adminUser().isEmpty() ? null
                : GuestInput.user("guestInit.adminUser", init.adminUser());
        GuestInput.requireUser("guestInit.adminUser", user,
                init.adminPassword() != null || init.adminPasswordHash() != null, !init.sshKeys().isEmpty());
        String hash = null;
        if (init.adminPassword() != null) {
            hash = GuestInput.hash("guestInit.adminPassword", init.adminPassword());
        } else if (init.adminPasswordHash() != null) {
            hash = GuestInput.passwordHash("guestInit.adminPasswordHash", init.adminPasswordHash());
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < init.sshKeys().size(); i++) {
            keys.add(GuestInput.sshKey("guestInit.sshKeys." + i, init.sshKeys().get(i)));
        }
        Set<Integer> disks = new HashSet<>();
        Set<String> points = new HashSet<>();
        List<GuestInit.Mount> mounts = new ArrayList<>();
        for (int i = 0; i < init.mounts().size(); i++) {
            GuestInit.Mount m = init.mounts().get(i);
            String field = "guestInit.mounts." + i;
            if (m == null) {
                throw SkiffException.invalid(field, "mount " + i + " is empty");
            }
            if (m.disk() < 1 || m.disk() >= diskCount) {
                throw SkiffException.invalid(field + ".disk", "a data disk index from 1 to " + (diskCount - 1)
                        + " is required (0 is the system disk)");
            }
            String fs = GuestInput.filesystem(field + ".filesystem",
                    m.filesystem() == null || m.filesystem().isEmpty() ? "ext4" : m.filesystem());
            String point = GuestInput.mountPoint(field + ".mountPoint", m.mountPoint(), points);
            if (!disks.add(m.disk())) {
                throw SkiffException.invalid(field + ".disk", "disk " + m.disk() + " is mounted twice");
            }
            mounts.add(new GuestInit.Mount(m.disk(), fs, point));
        }
        return new GuestInit(hostname, user, null, hash, keys, mounts);
    }

    /** What the cell's seed says; data disk {@code i} is the guest's {@code <prefix><letter i>}. */
    static GuestInitSpec toSpec(GuestInit init, String diskBus) {
        if (init == null) {
            return null;
        }
        String prefix = switch (diskBus == null ? "virtio" : diskBus) {
            case "virtio" -> "vd";
            case "ide" -> "hd";
            default -> "sd";
        };
        List<GuestInitSpec.DataDiskMount> mounts = init.mounts().stream()
                .map(m -> new GuestInitSpec.DataDiskMount(prefix + (char) ('a' + m.disk()), m.filesystem(),
                        m.mountPoint()))
                .toList();
        return new GuestInitSpec(init.hostname(), init.adminUser(), init.adminPasswordHash(), init.sshKeys(), mounts);
    }
}
