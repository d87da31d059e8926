package io.skiff.storage.local.internal;

import io.skiff.libvirt.LibvirtConnection;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.StoragePoolUsage;
import io.skiff.api.spi.Volume;
import io.skiff.storage.support.ImageFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend against a real libvirtd ({@code qemu:///system}) with real qcow2 files, in a temporary pool of its own
 * (unique name, temporary directory) that is destroyed and undefined afterwards, also when the test fails. Skipped
 * only when libvirtd is not reachable; needs {@code qemu-img} (qemu-utils).
 */
@Tag("libvirtd")
@DisplayName("LocalStorageBackend on a real libvirtd (qemu:///system, temporary pool)")
class LocalStorageBackendQemuSystemTest {
    private static final String URI = "qemu:///system";
    private static final long MIB = 1 << 20;

    private Connect connect;
    private Path tmp;
    private String poolName;
    private Path poolPath;
    private LocalStorageBackend backend;

    @BeforeEach
    void setUp() throws IOException {
        try {
            connect = new Connect(URI);
        } catch (LibvirtException | LinkageError e) {
            Assumptions.abort("libvirtd is not reachable at " + URI + " (" + e.getMessage()
                    + "); start it (virtlogd -d; libvirtd -d) to run this test");
        }
        // QEMU-side access is not exercised (no domain), but keep the tree traversable as a real pool's would be
        tmp = Files.createTempDirectory("skiff-storage-local-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        poolName = TestPools.uniqueName("skiff-test");
        poolPath = tmp.resolve("volumes"); // created by libvirt's pool-build
        backend = new LocalStorageBackend(new LibvirtConnection(URI), poolName, poolPath, new QemuImg("qemu-img"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (connect == null) {
            return;
        }
        try {
            backend.deactivate();
            TestPools.remove(connect, poolName);
        } finally {
            connect.close();
            try (Stream<Path> files = Files.walk(tmp)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void volumeLifecycleWithRealFiles() throws Exception {
        StoragePool pool = connect.storagePoolLookupByName(poolName);
        assertEquals(1, pool.isActive());
        assertTrue(pool.getAutostart());
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(poolPath)));

        // empty volume
        Volume empty = backend.create(null, "vm-1-root", 64 * MIB, null);
        assertEquals(poolPath.resolve("vm-1-root.qcow2").toString(), empty.path());
        assertEquals(new ImageFormat("qcow2", 64 * MIB, false), ImageFormat.detect(Path.of(empty.path())));

        // linked clone of a small qcow2 made by qemu-img
        Path base = tmp.resolve("base.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "32M");
        Volume clone = backend.create(null, "vm-2-root", 16 * MIB, base.toString());
        assertEquals(32 * MIB, clone.capacityBytes());
        String info = run("qemu-img", "info", "--output=json", "-U", clone.path());
        assertTrue(info.contains("\"backing-filename\": \"" + base + "\""), info);
        assertTrue(info.contains("\"backing-filename-format\": \"qcow2\""), info);

        // import: a raw file (converted) and a qcow2 overlay (flattened), both full copies
        Path raw = tmp.resolve("disk.raw");
        byte[] content = new byte[3 * (int) MIB];
        new Random(42).nextBytes(content);
        Files.write(raw, content);
        Volume fromRaw = backend.importFile(null, "vm-3-root", raw);
        assertEquals(3 * MIB, fromRaw.capacityBytes());
        assertEquals("qcow2", fromRaw.format());
        run("qemu-img", "compare", "-q", "-f", "raw", "-F", "qcow2", raw.toString(), fromRaw.path());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(fromRaw.path()))));

        Volume fromOverlay = backend.importFile(poolName, "vm-4-root", Path.of(clone.path()));
        assertEquals(32 * MIB, fromOverlay.capacityBytes());
        assertFalse(ImageFormat.detect(Path.of(fromOverlay.path())).hasBackingFile());
        assertThrows(SkiffException.class, () -> backend.importFile(null, "vm-3-root", raw));

        // resize: grow only
        Volume grown = backend.resize(null, "vm-1-root", 128 * MIB);
        assertEquals(128 * MIB, grown.capacityBytes());
        assertEquals(128 * MIB, ImageFormat.detect(Path.of(grown.path())).virtualSize());
        SkiffException shrink = assertThrows(SkiffException.class, () -> backend.resize(null, "vm-1-root", 64 * MIB));
        assertEquals(SkiffException.Kind.INVALID, shrink.kind());

        // list (files that are not Skiff volumes are ignored), find, usage
        Files.writeString(poolPath.resolve("notes.txt"), "not a volume", StandardCharsets.UTF_8);
        assertEquals(List.of("vm-1-root", "vm-2-root", "vm-3-root", "vm-4-root"),
                backend.list(null).stream().map(Volume::name).toList());
        assertEquals(Optional.of(128 * MIB), backend.find(null, "vm-1-root").map(Volume::capacityBytes));
        StoragePoolUsage usage = backend.usage(null);
        assertTrue(usage.capacityBytes() > 0 && usage.availableBytes() > 0 && usage.allocationBytes() > 0,
                usage.toString());

        // delete, tolerant
        for (String name : List.of("vm-2-root", "vm-1-root", "vm-3-root", "vm-4-root")) {
            backend.delete(null, name);
            backend.delete(null, name);
        }
        assertEquals(List.of(), backend.list(null));
        try (Stream<Path> left = Files.list(poolPath)) {
            assertEquals(List.of("notes.txt"), left.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void shrinkKeepsEveryByteOfData() throws Exception {
        Volume disk = backend.create(null, "vm-5-root", 64 * MIB, null);
        assertEquals(0, backend.dataEndBytes(null, "vm-5-root"));
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x55 40M 1M", disk.path());
        assertEquals(41 * MIB, backend.dataEndBytes(null, "vm-5-root"));

        // below the data: refused, nothing changed
        SkiffException below = assertThrows(SkiffException.class, () -> backend.shrink(null, "vm-5-root", 40 * MIB));
        assertEquals(SkiffException.Kind.INVALID, below.kind());
        assertEquals("capacityBytes", below.field());
        assertTrue(below.getMessage().contains("holds data up to byte " + 41 * MIB), below.getMessage());
        assertEquals(64 * MIB, ImageFormat.detect(Path.of(disk.path())).virtualSize());

        // down to the data's end: the data is still there
        Volume shrunk = backend.shrink(null, "vm-5-root", 41 * MIB);
        assertEquals(41 * MIB, shrunk.capacityBytes());
        assertEquals(41 * MIB, ImageFormat.detect(Path.of(disk.path())).virtualSize());
        run("qemu-io", "-f", "qcow2", "-c", "read -P 0x55 40M 1M", disk.path());

        // a linked clone's data end counts the backing file's data it reads through
        Volume clone = backend.create(null, "vm-6-root", 64 * MIB, disk.path());
        assertEquals(41 * MIB, backend.dataEndBytes(null, "vm-6-root"));
        assertThrows(SkiffException.class, () -> backend.shrink(null, "vm-6-root", 32 * MIB));
        assertEquals(48 * MIB, backend.shrink(null, "vm-6-root", 48 * MIB).capacityBytes());
        run("qemu-io", "-f", "qcow2", "-c", "read -P 0x55 40M 1M", clone.path());
        backend.delete(null, "vm-6-root");
        backend.delete(null, "vm-5-root");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }
}
