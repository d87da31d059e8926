package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void firstStartCreatesAnAes256KeyReadableByTheOwnerOnly() throws IOException {
        Path file = dir.resolve("etc/skiff-cluster.key");
        SecretKey key = ClusterKeyFile.loadOrCreate(file);
        assertEquals("AES", key.getAlgorithm());
        assertEquals(32, key.getEncoded().length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void laterStartsReuseTheExistingKey() throws IOException {
        Path file = dir.resolve("skiff-cluster.key");
        SecretKey first = ClusterKeyFile.loadOrCreate(file);
        SecretKey second = ClusterKeyFile.loadOrCreate(file);
        assertArrayEquals(first.getEncoded(), second.getEncoded());
    }

    @Test
    void keyMadeByAnAdminIsRead() throws IOException {
        byte[] raw = new byte[16];
        raw[3] = 7;
        Path file = dir.resolve("admin.key");
        Files.writeString(file, "# made with openssl rand -base64 16\n" + Base64.getEncoder().encodeToString(raw) + "\n");
        assertArrayEquals(raw, ClusterKeyFile.loadOrCreate(file).getEncoded());
    }

    @Test
    void fileThatIsNoKeyIsRefused() throws IOException {
        Path notBase64 = dir.resolve("bad.key");
        Files.writeString(notBase64, "not a key!\n");
        assertThrows(IOException.class, () -> ClusterKeyFile.loadOrCreate(notBase64));
        Path wrongLength = dir.resolve("short.key");
        Files.writeString(wrongLength, Base64.getEncoder().encodeToString(new byte[10]));
        assertThrows(IOException.class, () -> ClusterKeyFile.loadOrCreate(wrongLength));
    }
}
