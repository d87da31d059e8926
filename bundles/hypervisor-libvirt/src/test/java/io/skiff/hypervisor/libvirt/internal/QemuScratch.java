package io.skiff.hypervisor.libvirt.internal;

import io.skiff.libvirt.LibvirtConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;

/**
 * What the tests on the real {@code qemu:///system} share: the provider connected to it, a fresh instance id, and a
 * scratch directory under {@code /tmp} that QEMU (running as {@code libvirt-qemu}) can reach. {@link #close()}
 * destroys and undefines the test's domain, closes the provider and removes the directory with its files.
 *
 * @param hypervisor the provider, open
 * @param id the test's instance id ({@code prefix} and 8 random characters)
 * @param dir the scratch directory
 */
record QemuScratch(LibvirtHypervisor hypervisor, String id, Path dir) implements AutoCloseable {
    static final String URI = "qemu:///system";

    /**
     * @param prefix of the instance id and the directory's name, e.g. {@code dev-}
     * @param accel {@code tcg}, {@code kvm} or {@code auto}
     * @param endpoint how the provider reaches libvirt ({@code NativeConnect.ENDPOINT} or {@code LibvirtConnection.LIBVIRT})
     */
    static QemuScratch open(String prefix, String accel, LibvirtConnection.Endpoint endpoint) throws IOException {
        LibvirtHypervisor hypervisor = new LibvirtHypervisor();
        hypervisor.open(URI, accel, Duration.ofSeconds(10), endpoint);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "skiff-" + prefix);
        // QEMU runs as libvirt-qemu: it must reach the files through the directory
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new QemuScratch(hypervisor, prefix + UUID.randomUUID().toString().substring(0, 8), dir);
    }

    @Override
    public void close() throws IOException {
        hypervisor.destroy(id);
        hypervisor.undefine(id);
        hypervisor.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
