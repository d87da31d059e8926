package io.skiff.core.internal.image;

import io.skiff.api.model.DiskImage;
import io.skiff.api.model.StepInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.ImageUploadResult;
import io.skiff.api.service.MediaUploadResult;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.UploadSpec;
import io.skiff.core.internal.Visibility;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads into the image and media catalogues as tasks, on a real journaled engine and state store. */
class CatalogUploadTest {
    private static final AuthenticatedUser ADMIN = new AuthenticatedUser("admin", Set.of("admin"));

    @TempDir
    Path dir;

    private Catalogs catalogs;
    private JournalStateStore store;
    private JournaledTaskEngine engine;
    private ImageCatalog images;
    private MediaCatalog media;

    @BeforeEach
    void open() throws IOException {
        catalogs = new Catalogs(dir, new Visibility(() -> null));
        store = catalogs.store;
        engine = catalogs.engine;
        images = catalogs.images;
        media = catalogs.media;
    }

    @AfterEach
    void close() throws Exception {
        catalogs.close();
    }

    @Test
    void uploadIsATaskWithProgressAndTheImageIsSearchable() throws Exception {
        byte[] raw = random(5 << 20);
        ImageUploadResult result = images.upload(new UploadSpec("base", List.of("linux", "test"), raw.length,
                sha(raw), "raw"), new ByteArrayInputStream(raw), ADMIN);
        assertEquals(TaskState.SUCCEEDED, result.task().state());
        assertEquals("image.upload", result.task().name());
        StepInfo receive = result.task().steps().get(0);
        assertEquals("receive content", receive.name());
        DiskImage image = result.image();
        assertEquals(sha(raw), image.sha256());
        assertEquals(raw.length, image.sizeBytes());
        assertEquals(List.of("linux", "test"), image.tags());
        try (InputStream in = images.open(image.id())) {
            assertArrayEquals(raw, in.readAllBytes());
        }
        assertEquals(1, images.search("BAS", null, ADMIN).size());
        assertEquals(1, images.search(null, "test", ADMIN).size());
        assertEquals(0, images.search(null, "windows", ADMIN).size());
        assertEquals(0, images.search("other", null, ADMIN).size());
    }

    @Test
    void truncatedUploadFailsNamingTheFieldAndLeavesNothing() throws Exception {
        byte[] raw = random(3 << 20);
        SkiffException e = assertThrows(SkiffException.class, () -> images.upload(new UploadSpec("cut", List.of(),
                raw.length, null, null), new ByteArrayInputStream(raw, 0, 2 << 20), ADMIN));
        assertEquals("content", e.field());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(images.list().isEmpty());
        assertEquals(List.of(), files(dir.resolve("images")));
        assertEquals(TaskState.FAILED, engine.list().get(0).state());
    }

    @Test
    void wrongChecksumFailsNamingTheField() throws Exception {
        byte[] raw = random(1 << 20);
        SkiffException e = assertThrows(SkiffException.class, () -> images.upload(new UploadSpec("sum", List.of(),
                raw.length, sha(new byte[1]), null), new ByteArrayInputStream(raw), ADMIN));
        assertEquals("sha256", e.field());
        assertTrue(images.list().isEmpty());
        assertEquals(List.of(), files(dir.resolve("images")));
    }

    @Test
    void duplicateNameIsAConflictAndIsoIsNotADiskImage() throws Exception {
        byte[] raw = random(1 << 16);
        images.upload(new UploadSpec("dup", List.of(), -1, null, null), new ByteArrayInputStream(raw), ADMIN);
        SkiffException dup = assertThrows(SkiffException.class, () -> images.upload(new UploadSpec("dup", List.of(),
                -1, null, null), new ByteArrayInputStream(raw), ADMIN));
        assertEquals("name", dup.field());
        SkiffException iso = assertThrows(SkiffException.class, () -> images.upload(new UploadSpec("cd", List.of(),
                -1, null, null), new ByteArrayInputStream(iso()), ADMIN));
        assertEquals("format", iso.field());
        assertEquals(1, images.list().size());
        assertEquals(1, files(dir.resolve("images")).size());
    }

    @Test
    void mediaTakeIsoOnly() throws Exception {
        byte[] iso = iso();
        MediaUploadResult result = media.upload(new UploadSpec("tools", List.of(), iso.length, sha(iso), null),
                new ByteArrayInputStream(iso), ADMIN);
        assertEquals(sha(iso), result.medium().sha256());
        assertEquals(TaskState.SUCCEEDED, result.task().state());
        SkiffException e = assertThrows(SkiffException.class, () -> media.upload(new UploadSpec("notiso", List.of(),
                -1, null, null), new ByteArrayInputStream(random(50_000)), ADMIN));
        assertEquals("format", e.field());
        assertEquals(1, media.list().size());
        media.delete("tools", ADMIN);
        assertTrue(media.list().isEmpty());
        assertEquals(List.of(), files(dir.resolve("media")));
    }

    @Test
    void aMediumInAnInstancesDriveIsNotDeletedAndTokensAreOneTime() throws Exception {
        byte[] iso = iso();
        String id = media.upload(new UploadSpec("boot", List.of(), iso.length, null, null),
                new ByteArrayInputStream(iso), ADMIN).medium().id();
        io.skiff.api.model.InstanceSpec spec = new io.skiff.api.model.InstanceSpec("vm-1", "p", null, 1, 1L << 30,
                List.of(new io.skiff.api.model.DiskSpec(1L << 30, null, null)), "linux-virtio", null, false)
                .withMedia(id).withBootFrom("cdrom");
        store.put(io.skiff.core.internal.instance.InstanceRecord.TYPE, "i-1", new io.skiff.core.internal.instance
                .InstanceRecord("i-1", spec, "cell-1", "admin", "admin", io.skiff.api.model.InstanceState.RUNNING,
                null, null, java.time.Instant.now(), java.time.Instant.now()));
        SkiffException refused = assertThrows(SkiffException.class, () -> media.delete("boot", ADMIN));
        assertEquals("media", refused.field());
        assertTrue(refused.getMessage().contains("vm-1"), refused.getMessage());
        assertEquals(1, media.list().size());
        SkiffException unknown = assertThrows(SkiffException.class, () -> media.get("nope"));
        assertEquals("media", unknown.field());

        String token = media.transferToken(id);
        assertTrue(!media.redeemTransferToken("other", media.transferToken(id)));
        assertTrue(media.redeemTransferToken(id, token));
        assertTrue(!media.redeemTransferToken(id, token), "a token is good once");

        store.delete(io.skiff.core.internal.instance.InstanceRecord.TYPE, "i-1");
        media.delete("boot", ADMIN);
        assertTrue(media.list().isEmpty());
    }

    private static List<Path> files(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    static byte[] iso() {
        byte[] iso = new byte[40_000];
        System.arraycopy("CD001".getBytes(), 0, iso, 32769, 5);
        return iso;
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
