package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;
import io.skiff.api.spi.StoragePoolUsage;
import io.skiff.api.spi.Volume;
import io.skiff.storage.support.Qcow2Headers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The volume logic both modes share, on a local directory standing for the mounted export (the {@code mount} mode's
 * files without a mount) with the real qemu-img: naming, linked clones of images cached once in the pool, full
 * copies, growing, listing, errors. The {@code libnfs} mode's NFS side is tested against a real NFS server in
 * {@code itests} ({@code NfsStorageIT}).
 */
@DisplayName("NfsVolumes on a local directory with the real qemu-img")
class NfsVolumesTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;
    private Path export;
    private Path cell;
    private NfsVolumes volumes;
    private NfsQemuImg qemuImg;

    @BeforeEach
    void setUp() throws IOException {
        export = Files.createDirectory(tmp.resolve("export"));
        cell = Files.createDirectory(tmp.resolve("cell-images"));
        qemuImg = new NfsQemuImg("qemu-img", Duration.ofMinutes(1));
        volumes = new NfsVolumes("shared", new MountedFiles(new FixedMount(export)), qemuImg);
    }

    @Test
    void anEmptyVolumeIsAQcow2FileNamedAfterIt() throws IOException {
        Volume v = volumes.create(null, "vm-1-disk0", 64 * MIB, null);
        assertEquals(new Volume("shared", "vm-1-disk0", export.resolve("vm-1-disk0.qcow2").toString(), "qcow2",
                64 * MIB, Files.size(export.resolve("vm-1-disk0.qcow2"))), v);
        assertEquals(Optional.of(v), volumes.find("shared", "vm-1-disk0"));
        SkiffException e = assertThrows(SkiffException.class, () -> volumes.create("shared", "vm-1-disk0", MIB, null));
        assertEquals(Kind.CONFLICT, e.kind());
        assertEquals("name", e.field());
    }

    @Test
    void linkedClonesShareOneCopyOfTheImageInThePool() throws IOException {
        Path image = cell.resolve("9b1c-debian.qcow2");
        qemuImg.create(image.toString(), 32 * MIB, "image");

        Volume a = volumes.create(null, "vm-a-disk0", 16 * MIB, image.toString());
        Volume b = volumes.create(null, "vm-b-disk0", 64 * MIB, image.toString());

        Path cached = export.resolve("images/9b1c-debian.qcow2");
        assertTrue(Files.isRegularFile(cached));
        assertEquals(List.of("9b1c-debian.qcow2"), names(export.resolve("images")), "one copy, no leftovers");
        assertEquals(32 * MIB, a.capacityBytes(), "never smaller than its image");
        assertEquals(64 * MIB, b.capacityBytes());
        assertEquals(cached.toString(), backingFile(export.resolve("vm-a-disk0.qcow2")));
        assertEquals(cached.toString(), backingFile(export.resolve("vm-b-disk0.qcow2")));

        // a clone of the pool's copy itself, as a caller that already knows it would ask
        volumes.create(null, "vm-c-disk0", 0, cached.toString());
        assertEquals(cached.toString(), backingFile(export.resolve("vm-c-disk0.qcow2")));
    }

    @Test
    void aCellWithoutTheImageFileClonesThePoolsCopy() throws IOException {
        Path image = cell.resolve("4e2d-alpine.qcow2");
        assertFalse(volumes.holdsImage(image.toString()), "nothing cached yet");
        qemuImg.create(image.toString(), 32 * MIB, "image");
        volumes.create(null, "vm-a-disk0", 0, image.toString());
        assertTrue(volumes.holdsImage(image.toString()));

        // another cell's cache path for the same image, never downloaded there
        Path elsewhere = tmp.resolve("other-cell/4e2d-alpine.qcow2");
        assertTrue(volumes.holdsImage(elsewhere.toString()));
        volumes.create(null, "vm-b-disk0", 0, elsewhere.toString());
        assertEquals(export.resolve("images/4e2d-alpine.qcow2").toString(),
                backingFile(export.resolve("vm-b-disk0.qcow2")));
    }

    @Test
    void aRawImageIsCachedAsQcow2() throws IOException {
        Path raw = cell.resolve("5f00-tiny.raw");
        Files.write(raw, new byte[(int) MIB]);
        volumes.create(null, "vm-r-disk0", 0, raw.toString());
        byte[] header = Files.readAllBytes(export.resolve("images/5f00-tiny.qcow2"));
        assertEquals("QFI", new String(header, 0, 3, StandardCharsets.ISO_8859_1));
    }

    @Test
    void badBackingImagesAreRefusedBeforeAnythingIsWritten() throws IOException {
        assertField(Kind.NOT_FOUND, "backingPath", () -> volumes.create(null, "v", MIB, cell.resolve("no.qcow2")
                .toString()));
        assertField(Kind.INVALID, "backingPath", () -> volumes.create(null, "v", MIB, "relative.qcow2"));
        assertField(Kind.INVALID, "backingPath", () -> volumes.create(null, "v", MIB,
                "nfs://elsewhere/export/x.qcow2"));
        Path vmdk = Files.writeString(cell.resolve("x.vmdk"), "# Disk DescriptorFile\n");
        assertField(Kind.INVALID, "backingPath", () -> volumes.create(null, "v", MIB, vmdk.toString()));
        assertEquals(List.of(), names(export));
    }

    @Test
    void importIsAFullCopyPublishedUnderItsName() throws IOException {
        Path image = cell.resolve("img.qcow2");
        qemuImg.create(image.toString(), 8 * MIB, "image");
        Volume v = volumes.importFile("shared", "vm-i-disk0", image);
        assertEquals(8 * MIB, v.capacityBytes());
        assertEquals(null, backingFile(export.resolve("vm-i-disk0.qcow2")));
        assertEquals(List.of("vm-i-disk0.qcow2"), names(export), "no partial copy left");
        assertField(Kind.CONFLICT, "name", () -> volumes.importFile(null, "vm-i-disk0", image));
        assertField(Kind.INVALID, "source", () -> volumes.importFile(null, "vm-j-disk0", null));
        assertField(Kind.INVALID, "source", () -> volumes.importFile(null, "vm-j-disk0", Path.of("rel.qcow2")));
    }

    @Test
    void volumesOnlyGrow() {
        volumes.create(null, "vm-g-disk0", 16 * MIB, null);
        assertEquals(32 * MIB, volumes.resize(null, "vm-g-disk0", 32 * MIB).capacityBytes());
        assertEquals(32 * MIB, volumes.find(null, "vm-g-disk0").orElseThrow().capacityBytes());
        assertField(Kind.INVALID, "capacityBytes", () -> volumes.resize(null, "vm-g-disk0", 16 * MIB));
        assertField(Kind.NOT_FOUND, "name", () -> volumes.resize(null, "vm-missing", 16 * MIB));
    }

    @Test
    void listingShowsOnlyVolumesAndDeleteToleratesMissingOnes() throws IOException {
        volumes.create(null, "vm-2-disk0", MIB, null);
        volumes.create(null, "vm-1-disk0", MIB, null);
        Files.writeString(export.resolve("notes.txt"), "admin's file");
        Files.write(export.resolve(".vm-3-disk0.qcow2.x.part"), Qcow2Headers.header(3, MIB, 0));
        assertEquals(List.of("vm-1-disk0", "vm-2-disk0"), volumes.list(null).stream().map(Volume::name).toList());

        volumes.delete(null, "vm-1-disk0");
        volumes.delete(null, "vm-1-disk0");
        assertEquals(Optional.empty(), volumes.find(null, "vm-1-disk0"));
        assertFalse(Files.exists(export.resolve("vm-1-disk0.qcow2")));
        assertTrue(Files.exists(export.resolve("notes.txt")));
    }

    @Test
    void usageIsTheExportsFileSystem() {
        StoragePoolUsage usage = volumes.usage("shared");
        assertTrue(usage.capacityBytes() > 0);
        assertTrue(usage.availableBytes() <= usage.capacityBytes());
    }

    @Test
    void otherPoolsBadNamesAndCapacitiesAreRefused() {
        assertField(Kind.NOT_FOUND, "pool", () -> volumes.create("skiff-local", "v", MIB, null));
        assertField(Kind.NOT_FOUND, "pool", () -> volumes.list("other"));
        assertField(Kind.INVALID, "name", () -> volumes.create(null, "../escape", MIB, null));
        assertField(Kind.INVALID, "name", () -> volumes.delete(null, "a/b"));
        assertField(Kind.INVALID, "capacityBytes", () -> volumes.create(null, "v", 0, null));
        assertField(Kind.INVALID, "capacityBytes", () -> volumes.create(null, "v", -1, null));
    }

    @Test
    void anUnreachableServerFailsAVolumeChangeAtOnceAndNothingIsWritten() {
        SkiffException down = SkiffException.unavailable("NFS server 'nas' is not reachable");
        NfsVolumes unreachable = new NfsVolumes("shared", new MountedFiles(new UnreachableMount(export, down)),
                qemuImg);
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> unreachable.create(null, "vm-u-disk0", MIB, null),
                () -> unreachable.resize(null, "vm-u-disk0", 2 * MIB),
                () -> unreachable.holdsImage(cell.resolve("img.qcow2").toString()),
                () -> unreachable.delete(null, "vm-u-disk0"))) {
            assertEquals(down, assertThrows(SkiffException.class, call));
        }
        assertEquals(Optional.empty(), volumes.find(null, "vm-u-disk0"));
    }

    @Test
    void aFailedQemuImgLeavesNoFileBehind() {
        NfsVolumes broken = new NfsVolumes("shared", new MountedFiles(new FixedMount(export)),
                new NfsQemuImg("/bin/false", Duration.ofSeconds(10)));
        SkiffException e = assertThrows(SkiffException.class, () -> broken.create(null, "vm-f-disk0", MIB, null));
        assertEquals(Kind.INTERNAL, e.kind());
        assertEquals("storage-failed", e.code());
        assertEquals(Optional.empty(), volumes.find(null, "vm-f-disk0"));
    }

    @Test
    void aQemuImgThatHangsIsKilledAfterTheTimeOut() throws IOException {
        Path hanging = Files.writeString(tmp.resolve("hanging-qemu-img"), "#!/bin/sh\nexec sleep 30\n");
        hanging.toFile().setExecutable(true);
        NfsVolumes slow = new NfsVolumes("shared", new MountedFiles(new FixedMount(export)),
                new NfsQemuImg(hanging.toString(), Duration.ofMillis(300)));
        SkiffException e = assertThrows(SkiffException.class, () -> slow.create(null, "vm-h-disk0", MIB, null));
        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("operationTimeoutSeconds"), e.getMessage());
    }

    private static void assertField(Kind kind, String field, org.junit.jupiter.api.function.Executable call) {
        SkiffException e = assertThrows(SkiffException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
    }

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The backing file named in a qcow2 header, or null (qcow2 v2/v3: offset at 8, length at 16). */
    private static String backingFile(Path qcow2) throws IOException {
        byte[] h = Files.readAllBytes(qcow2);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h);
        long offset = b.getLong(8);
        int length = b.getInt(16);
        return offset == 0 ? null : new String(h, (int) offset, length, StandardCharsets.UTF_8);
    }

    /** The export as a plain directory whose server does not answer. */
    private record UnreachableMount(Path directory, SkiffException refusal) implements MountedFiles.Mount {
        @Override
        public Path mount() {
            return directory;
        }

        @Override
        public void requireReachable() {
            throw refusal;
        }

        @Override
        public void close() {
        }
    }

    /** The export as a plain directory, mounted from the start. */
    private record FixedMount(Path directory) implements MountedFiles.Mount {
        @Override
        public Path mount() {
            return directory;
        }

        @Override
        public void close() {
        }
    }
}
