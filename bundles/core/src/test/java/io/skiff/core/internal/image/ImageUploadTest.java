package io.skiff.core.internal.image;

import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageUploadTest {
    private static final long MAX = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void streamsChecksAndRenamesAQcow2Image() throws Exception {
        byte[] qcow2 = qcow2(3, 0, 8L << 30, 3 << 20);
        List<Long> progress = new ArrayList<>();
        Path target = dir.resolve("a.img");
        ImageFiles.Facts facts = ImageUpload.receive(slowly(qcow2), target,
                new ImageUpload.Expected(qcow2.length, sha(qcow2), "qcow2", MAX), (bytes, total) -> progress.add(bytes));
        assertEquals("qcow2", facts.format());
        assertEquals(qcow2.length, facts.sizeBytes());
        assertEquals(8L << 30, facts.virtualSizeBytes());
        assertEquals(sha(qcow2), facts.sha256());
        assertArrayEquals(qcow2, Files.readAllBytes(target));
        assertTrue(progress.size() >= 3, "progress while it streams: " + progress);
        assertEquals((long) qcow2.length, progress.get(progress.size() - 1));
        assertFalse(Files.exists(dir.resolve("a.img.partial")));
    }

    @Test
    void isoIsRecognisedForMedia() throws Exception {
        byte[] iso = new byte[40_000];
        System.arraycopy("CD001".getBytes(), 0, iso, 32769, 5);
        ImageFiles.Facts facts = ImageUpload.receive(new ByteArrayInputStream(iso), dir.resolve("m.iso"),
                new ImageUpload.Expected(-1, null, "iso", MAX), (b, t) -> { });
        assertEquals("iso", facts.format());
    }

    @Test
    void truncatedUploadIsRefusedAndLeavesNothing() {
        byte[] data = random(100_000);
        SkiffException e = assertThrows(SkiffException.class, () -> ImageUpload.receive(
                new ByteArrayInputStream(data, 0, 60_000), dir.resolve("t.img"),
                new ImageUpload.Expected(data.length, null, null, MAX), (b, t) -> { }));
        assertEquals("content", e.field());
        assertTrue(e.getMessage().contains("truncated: 60000 of 100000"), e.getMessage());
        assertEmpty();
    }

    @Test
    void longerThanAnnouncedOrTheLimitIsRefused() {
        byte[] data = random(10_000);
        SkiffException tooLong = assertThrows(SkiffException.class, () -> ImageUpload.receive(
                new ByteArrayInputStream(data), dir.resolve("l.img"),
                new ImageUpload.Expected(9_000, null, null, MAX), (b, t) -> { }));
        assertEquals("sizeBytes", tooLong.field());
        SkiffException overLimit = assertThrows(SkiffException.class, () -> ImageUpload.receive(
                new ByteArrayInputStream(data), dir.resolve("l.img"),
                new ImageUpload.Expected(-1, null, null, 5_000), (b, t) -> { }));
        assertEquals("content", overLimit.field());
        assertEmpty();
    }

    @Test
    void checksumAndFormatMismatchesAreRefused() {
        byte[] data = random(5_000);
        SkiffException checksum = assertThrows(SkiffException.class, () -> ImageUpload.receive(
                new ByteArrayInputStream(data), dir.resolve("c.img"),
                new ImageUpload.Expected(data.length, sha(new byte[1]), null, MAX), (b, t) -> { }));
        assertEquals("sha256", checksum.field());
        SkiffException format = assertThrows(SkiffException.class, () -> ImageUpload.receive(
                new ByteArrayInputStream(data), dir.resolve("c.img"),
                new ImageUpload.Expected(data.length, null, "qcow2", MAX), (b, t) -> { }));
        assertEquals("format", format.field());
        assertTrue(format.getMessage().contains("a raw image, not a qcow2 image"), format.getMessage());
        assertEmpty();
    }

    @Test
    void qcow2WithABackingFileIsRefused() {
        byte[] withBacking = qcow2(3, 512, 1L << 30, 1024);
        SkiffException e = assertThrows(SkiffException.class, () -> ImageUpload.receive(
                new ByteArrayInputStream(withBacking), dir.resolve("b.img"),
                new ImageUpload.Expected(-1, null, null, MAX), (b, t) -> { }));
        assertEquals("content", e.field());
        assertTrue(e.getMessage().contains("backing file"), e.getMessage());
        assertEmpty();
    }

    @Test
    void badAnnouncementsAreRefusedBeforeReading() {
        assertEquals("sha256", assertThrows(SkiffException.class,
                () -> new ImageUpload.Expected(1, "xyz", null, MAX)).field());
        assertEquals("format", assertThrows(SkiffException.class,
                () -> new ImageUpload.Expected(1, null, "vmdk", MAX)).field());
        assertEquals("sizeBytes", assertThrows(SkiffException.class,
                () -> new ImageUpload.Expected(MAX + 1, null, null, MAX)).field());
    }

    private void assertEmpty() {
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "no partial file left");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A qcow2 header (magic, version, backing file offset, virtual size) followed by filler. */
    private static byte[] qcow2(int version, long backingOffset, long virtualSize, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(new byte[] {'Q', 'F', 'I', (byte) 0xfb}).putInt(version).putLong(backingOffset).putInt(0)
                .putInt(16).putLong(virtualSize);
        return b.array();
    }

    private static InputStream slowly(byte[] data) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 256 * 1024));
            }
        };
    }

    private static byte[] random(int n) {
        byte[] data = new byte[n];
        new Random(n).nextBytes(data);
        return data;
    }

    private static String sha(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
