package io.skiff.storage.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFormatTest {

    @Test
    void qcow2HeaderGivesVirtualSizeAndBackingFile() {
        byte[] h = Qcow2Headers.header(3, 10L << 30, 0);
        assertEquals(new ImageFormat("qcow2", 10L << 30, false), ImageFormat.detect(h, h.length, 196_616));
        byte[] overlay = Qcow2Headers.header(2, 1 << 20, 0x200);
        assertEquals(new ImageFormat("qcow2", 1 << 20, true), ImageFormat.detect(overlay, overlay.length, 4096));
    }

    @Test
    void qcowVersion1IsNotQcow2() {
        byte[] h = Qcow2Headers.header(1, 1 << 20, 0);
        ImageFormat f = ImageFormat.detect(h, h.length, 4096);
        assertEquals("qcow", f.format());
        assertFalse(f.isSupported());
    }

    @Test
    void anythingElseIsRawOfItsFileSize(@TempDir Path dir) throws IOException {
        Path raw = Files.write(dir.resolve("disk.img"), new byte[3000]);
        assertEquals(new ImageFormat("raw", 3000, false), ImageFormat.detect(raw));
        Path empty = Files.write(dir.resolve("empty.img"), new byte[0]);
        assertEquals(new ImageFormat("raw", 0, false), ImageFormat.detect(empty));
        assertTrue(ImageFormat.detect(raw).isSupported());
    }

    @Test
    void foreignFormatsAreNamedAndUnsupported() {
        assertForeign("vmdk", "KDMV".getBytes(StandardCharsets.US_ASCII));
        assertForeign("vmdk", "# Disk DescriptorFile\nversion=1".getBytes(StandardCharsets.US_ASCII));
        assertForeign("vhdx", "vhdxfile".getBytes(StandardCharsets.US_ASCII));
        assertForeign("vpc", "conectix".getBytes(StandardCharsets.US_ASCII));
        assertForeign("qed", "QED\0".getBytes(StandardCharsets.US_ASCII));
        byte[] vdi = new byte[512];
        vdi[64] = 0x7f;
        vdi[65] = 0x10;
        vdi[66] = (byte) 0xda;
        vdi[67] = (byte) 0xbe;
        assertForeign("vdi", vdi);
    }

    private static void assertForeign(String format, byte[] start) {
        byte[] h = new byte[512];
        System.arraycopy(start, 0, h, 0, start.length);
        ImageFormat f = ImageFormat.detect(h, h.length, 1 << 20);
        assertEquals(format, f.format());
        assertFalse(f.isSupported());
    }
}
