package io.skiff.cell.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Capturing a disk with the real {@code qemu-img}: the volume's path reaches it as it is. */
class ImageCacheTest {
    @TempDir
    Path dir;

    @Test
    void anNfsVolumeIsHandedToQemuImgAsAUrlAndNothingIsLeftBehind() throws Exception {
        // a host that cannot resolve: qemu-img's NFS client fails at once, naming the URL it was given
        String url = "nfs://skiff-no-such-host.invalid/export/skiff-i-1-disk0.qcow2";
        IOException e = assertThrows(IOException.class,
                () -> new ImageCache(dir).capture(url, "http://127.0.0.1:9/upload", "token"));
        assertTrue(e.getMessage().contains("qemu-img convert " + url + " failed")
                && e.getMessage().contains("'" + url + "'"), "the URL keeps its // : " + e.getMessage());
        try (var left = Files.list(dir)) {
            assertTrue(left.findAny().isEmpty(), "no partial copy left");
        }
    }
}
