package io.skiff.core.internal.instance;

import io.skiff.guestinput.GuestInput;
import io.skiff.api.model.GuestInit;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.GuestInitSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Guest initialisation in the Core: checks a request (fields named {@code guestInit.*}), turns a plain admin
 * password into a SHA-512 crypt(3) hash at once (the plain text is never stored, logged or sent to a cell), and
 * maps data-disk indexes to the guest's device names.
 */
final class GuestInits {
    private static final Pattern SSH_KEY =
            Pattern.compile("(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+( [^\\r\\n]*)?");
    private static final Pattern MOUNT_POINT = Pattern.compile("/[A-Za-z0-9._/-]+");
    private static final Pattern SHA512_CRYPT = Pattern.compile("\\$6\\$[./A-Za-z0-9$=,]+");
    static final List<String> FILESYSTEMS = List.of("ext4", "ext3", "xfs", "btrfs", "vfat");

    private GuestInits() {
    }

    /**
     * Checks a request's guest initialisation and hashes its password.
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
        String hash = null;
        if (init.adminPassword() != null) {
            if (user == null) {
                throw SkiffException.invalid("guestInit.adminUser", "a password needs the user it belongs to");
            }
            hash = GuestInput.hash("guestInit.adminPassword", init.adminPassword());
        } else if (init.adminPasswordHash() != null) {
            if (user == null) {
                throw SkiffException.invalid("guestInit.adminUser", "a password needs the user it belongs to");
            }
            if (!SHA512_CRYPT.matcher(init.adminPasswordHash()).matches()) {
                throw SkiffException.invalid("guestInit.adminPasswordHash", "not a SHA-512 crypt(3) hash ($6$salt$hash)");
            }
            hash = init.adminPasswordHash();
        }
        for (int i = 0; i < init.sshKeys().size(); i++) {
            String key = init.sshKeys().get(i);
            if (key == null || key.length() > 16384 || !SSH_KEY.matcher(key.strip()).matches()) {
                throw SkiffException.invalid("guestInit.sshKeys." + i, "not an OpenSSH public key on one line "
                        + "(e.g. 'ssh-ed25519 AAAA... comment')");
            }
        }
        if (!init.sshKeys().isEmpty() && user == null) {
            throw SkiffException.invalid("guestInit.adminUser", "SSH keys need the user they are authorised for");
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
            String fs = m.filesystem() == null || m.filesystem().isEmpty() ? "ext4" : m.filesystem();
            if (!FILESYSTEMS.contains(fs)) {
                throw SkiffException.invalid(field + ".filesystem", "one of " + FILESYSTEMS + " is required");
            }
            if (m.mountPoint() == null || !MOUNT_POINT.matcher(m.mountPoint()).matches() || m.mountPoint().length() > 255
                    || m.mountPoint().contains("..")) {
                throw SkiffException.invalid(field + ".mountPoint", "an absolute path other than '/' is required");
            }
            if (!disks.add(m.disk())) {
                throw SkiffException.invalid(field + ".disk", "disk " + m.disk() + " is mounted twice");
            }
            if (!points.add(m.mountPoint())) {
                throw SkiffException.invalid(field + ".mountPoint", "'" + m.mountPoint() + "' is listed twice");
            }
            mounts.add(new GuestInit.Mount(m.disk(), fs, m.mountPoint()));
        }
        return new GuestInit(hostname, user, null, hash, init.sshKeys().stream().map(String::strip).toList(), mounts);
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
