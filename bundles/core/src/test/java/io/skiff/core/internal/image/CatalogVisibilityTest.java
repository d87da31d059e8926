package io.skiff.core.internal.image;

import io.skiff.api.model.DiskImage;
import io.skiff.api.model.MediaImage;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.UploadSpec;
import io.skiff.core.internal.FakeDirectory;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static io.skiff.core.internal.FakeDirectory.ALICE;
import static io.skiff.core.internal.FakeDirectory.BOB;
import static io.skiff.core.internal.FakeDirectory.DAVE;
import static io.skiff.core.internal.FakeDirectory.OTTO;
import static io.skiff.core.internal.FakeDirectory.assertNotFound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image and media catalogues answer a caller only about what it may see: one it may not see exactly like one
 * that does not exist; lists and searches leave it out; a new one belongs to its caller's group. Without an identity
 * service everything is visible.
 */
class CatalogVisibilityTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Catalogs catalogs;
    private ImageCatalog images;
    private MediaCatalog media;

    @BeforeEach
    void open() throws Exception {
        catalogs = new Catalogs(dir, new Visibility(FakeDirectory::create));
        images = catalogs.images;
        media = catalogs.media;
        catalogs.store.put(ImageCatalog.TYPE, "img-alice", image("img-alice", "alice-os", "alice", "red"));
        catalogs.store.put(ImageCatalog.TYPE, "img-carol", image("img-carol", "team-os", "carol", "team"));
        catalogs.store.put(MediaCatalog.TYPE, "md-alice", new MediaImage("md-alice", "alice-tools", "alice", "red", 1,
                "00", T));
    }

    private static DiskImage image(String id, String name, String owner, String group) {
        return new DiskImage(id, name, owner, group, "qcow2", 1, 1, "00", List.of("linux"), T);
    }

    @AfterEach
    void close() throws Exception {
        catalogs.close();
    }

    private List<String> imageNames(AuthenticatedUser caller) {
        return images.list(caller).stream().map(DiskImage::name).sorted().toList();
    }

    @Test
    void anImageTheCallerMayNotSeeIsAnsweredLikeOneThatDoesNotExist() {
        assertNotFound("image", "image 'nothing' does not exist", () -> images.get("nothing", BOB));
        assertNotFound("image", "image 'alice-os' does not exist", () -> images.get("alice-os", BOB));
        assertNotFound("image", "image 'img-alice' does not exist", () -> images.get("img-alice", BOB));
        assertNotFound("image", "image 'alice-os' does not exist", () -> images.delete("alice-os", BOB));
        assertEquals("alice-os", images.get("img-alice").name(), "not deleted");
        assertEquals("alice", images.get("alice-os", ALICE).owner());
        assertEquals("team-os", images.get("team-os", DAVE).name(), "a sharing group sees its members' images");
    }

    @Test
    void listsAndSearchesLeaveOutWhatTheCallerMayNotSee() {
        assertEquals(List.of("alice-os"), imageNames(ALICE));
        assertEquals(List.of(), imageNames(BOB));
        assertEquals(List.of("team-os"), imageNames(DAVE));
        assertEquals(List.of("alice-os", "team-os"), imageNames(OTTO), "resource.all sees every image");
        assertEquals(List.of(), images.search("os", "linux", BOB));
        assertEquals(1, images.search("OS", "linux", ALICE).size());
        assertEquals(2, images.list().size(), "the platform's own list has every image");
    }

    @Test
    void aMediumTheCallerMayNotSeeIsAnsweredLikeOneThatDoesNotExist() {
        assertNotFound("media", "medium 'nothing' does not exist", () -> media.get("nothing", BOB));
        assertNotFound("media", "medium 'alice-tools' does not exist", () -> media.get("alice-tools", BOB));
        assertNotFound("media", "medium 'md-alice' does not exist", () -> media.delete("md-alice", BOB));
        assertEquals(List.of(), media.list(BOB));
        assertEquals(1, media.list(ALICE).size());
        assertEquals(1, media.list(OTTO).size());
        assertEquals("alice-tools", media.get("md-alice", ALICE).name());
    }

    @Test
    void aNewImageBelongsToItsCallersGroup() throws Exception {
        byte[] raw = CatalogUploadTest.random(1 << 20);
        DiskImage uploaded = images.upload(new UploadSpec("dave-os", List.of(), raw.length, null, "raw"),
                new ByteArrayInputStream(raw), DAVE).image();
        assertEquals("dave", uploaded.owner());
        assertEquals("team", uploaded.group());
        assertTrue(imageNames(BOB).isEmpty());
        assertEquals(List.of("dave-os", "team-os"), imageNames(DAVE));
    }

    @Test
    void withoutAnIdentityServiceEveryImageAndMediumIsVisible() {
        ImageCatalog images = new ImageCatalog(catalogs.store, new InventoryLock(), catalogs.engine,
                dir.resolve("images"), Clock.systemUTC());
        MediaCatalog media = new MediaCatalog(catalogs.store, new InventoryLock(), catalogs.engine,
                dir.resolve("media"), Clock.systemUTC());
        assertEquals(List.of("alice-os", "team-os"), images.list(BOB).stream().map(DiskImage::name).sorted().toList());
        assertEquals("alice-os", images.get("alice-os", BOB).name());
        assertEquals("alice-tools", media.get("alice-tools", BOB).name());
    }
}
