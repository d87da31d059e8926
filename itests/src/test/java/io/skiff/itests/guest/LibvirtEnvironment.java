package io.skiff.itests.guest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The host's system libvirt (qemu:///system) for tests that run real guests: started once per JVM
 * with {@code scripts/libvirt-up.sh} (idempotent; never starts libvirt's {@code default} NAT network).
 */
public final class LibvirtEnvironment {
    private static volatile String upLine;

    private LibvirtEnvironment() {
    }

    /** Makes sure virtlogd and libvirtd run and qemu:///system answers; returns the script's line. */
    public static synchronized String ensureUp() {
        if (upLine == null) {
            Path script = projectRoot().resolve("scripts/libvirt-up.sh");
            Commands.Result r = Commands.run(List.of(script.toString()), projectRoot(), Duration.ofSeconds(120), false);
            if (!r.ok()) {
                throw new IllegalStateException("libvirt is not available: " + r.describe()
                        + "\n(run scripts/deps.sh to install libvirt and QEMU; the tests need root)");
            }
            upLine = r.stdout().strip();
            System.out.println("[guest] " + upLine);
        }
        return upLine;
    }

    /** True when this JVM runs as root (qemu:///system and /dev/kvm handling need it here). */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * The Skiff source tree: Failsafe runs with {@code user.dir} = the itests module, so its parent;
     * found by walking up to the directory that holds {@code scripts/libvirt-up.sh}.
     */
    public static Path projectRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/libvirt-up.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the Skiff project root (scripts/libvirt-up.sh) above " + dir);
    }
}
