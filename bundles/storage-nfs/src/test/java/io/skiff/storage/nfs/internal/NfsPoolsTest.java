package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One backend serving several pools: the configured one and pools the Core defines, each on its own export (here a
 * directory per server and export, reached as a mount), with the real qemu-img.
 */
class NfsPoolsTest {
    @TempDir
    Path tmp;
    final List<NfsSettings> opened = new ArrayList<>();
    final NfsQemuImg qemuImg = new NfsQemuImg("qemu-img", Duration.ofMinutes(1));

    private PoolFiles files(NfsSettings s) {
        opened.add(s);
        Path export = tmp.resolve(s.server() + s.export().replace('/', '_'));
        return new MountedFiles(new MountedFiles.Mount() {
            @Override
            public Path directory() {
                return export;
            }

            @Override
            public Path mount() {
                if (!Files.isDirectory(export)) {
                    throw SkiffException.invalid("export", "NFS server '" + s.server() + "' does not export '"
                            + s.export() + "' to this host");
                }
                return export;
            }

            @Override
            public void close() {
            }
        });
    }

    private NfsStorageBackend backend(NfsSettings configured) {
        NfsPools.Defaults defaults = new NfsPools.Defaults(Duration.ofSeconds(5), Duration.ofMinutes(1),
                "test:///default", tmp.resolve("mounts"));
        return new NfsStorageBackend(new NfsPools(defaults, configured,
                configured == null ? null : files(configured), qemuImg, this::files, s -> qemuImg));
    }

    @Test
    void servesTheConfiguredPoolAndPoolsTheCoreDefinesEachOnItsOwnExport() throws Exception {
        Files.createDirectories(tmp.resolve("nas1_export"));
        Files.createDirectories(tmp.resolve("nas2_srv_vm"));
        NfsStorageBackend backend = backend(NfsSettings.libnfs("nas1", "/export", "skiff-nfs"));
        backend.definePool("fast", Map.of("server", "nas2", "export", "/srv/vm", "mode", "libnfs"));
        backend.definePool("fast", Map.of("server", "nas2", "export", "/srv/vm", "mode", "libnfs"));
        assertEquals(2, opened.size(), "the same definition again opens nothing");

        Volume a = backend.create("skiff-nfs", "vm-a", 1L << 20, null);
        Volume b = backend.create("fast", "vm-b", 1L << 20, null);
        assertEquals("fast", b.pool());
        assertTrue(Files.exists(tmp.resolve("nas1_export/vm-a.qcow2")), a.path());
        assertTrue(Files.exists(tmp.resolve("nas2_srv_vm/vm-b.qcow2")), b.path());
        assertEquals(List.of("vm-b"), backend.list("fast").stream().map(Volume::name).toList());
        assertEquals(List.of("vm-a"), backend.list(null).stream().map(Volume::name).toList(),
                "no pool named: the configured one");

        SkiffException unknown = assertThrows(SkiffException.class, () -> backend.list("other"));
        assertEquals(SkiffException.Kind.NOT_FOUND, unknown.kind());
        assertEquals("pool", unknown.field());
        assertTrue(unknown.getMessage().contains("fast, skiff-nfs"), unknown.getMessage());
    }

    @Test
    void withoutAServerItServesOnlyDefinedPools() throws Exception {
        Files.createDirectories(tmp.resolve("nas2_srv_vm"));
        NfsStorageBackend backend = backend(null);
        assertEquals(SkiffException.Kind.NOT_FOUND, assertThrows(SkiffException.class,
                () -> backend.list(null)).kind());
        backend.definePool("fast", Map.of("server", "nas2", "export", "/srv/vm"));
        assertEquals(AccessMode.LIBNFS, opened.get(0).mode(), "mode libnfs by default");
        assertTrue(backend.list("fast").isEmpty());
    }

    @Test
    void aCheckNamesTheSettingAndKeepsNothing() throws Exception {
        Files.createDirectories(tmp.resolve("nas2_srv_vm"));
        NfsStorageBackend backend = backend(null);
        backend.check("fast", Map.of("server", "nas2", "export", "/srv/vm", "mode", "mount"));
        assertEquals(AccessMode.LIBNFS, opened.get(0).mode(), "checked with the Java client, nothing mounted");
        assertEquals("export", assertThrows(SkiffException.class,
                () -> backend.check("fast", Map.of("server", "nas2", "export", "/missing"))).field());
        assertEquals("server", assertThrows(SkiffException.class,
                () -> backend.check("fast", Map.of("export", "/srv/vm"))).field());
        assertEquals("mode", assertThrows(SkiffException.class,
                () -> backend.definePool("fast", Map.of("server", "nas2", "export", "/srv/vm", "mode", "nfs4")))
                .field());
        assertEquals(SkiffException.Kind.NOT_FOUND, assertThrows(SkiffException.class,
                () -> backend.list("fast")).kind(), "neither a check nor a refused definition serves the pool");
    }
}
