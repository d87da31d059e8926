package io.skiff.osgi.support.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostNamesTest {
    @TempDir
    Path dir;

    private HostNames names(String kernel, String machineId, String resolved) throws IOException {
        Path k = dir.resolve("hostname");
        Path m = dir.resolve("machine-id");
        if (kernel != null) {
            Files.writeString(k, kernel);
        }
        if (machineId != null) {
            Files.writeString(m, machineId);
        }
        return new HostNames(k, m, () -> resolved);
    }

    @Test
    void theKernelHostNameComesFirst() throws IOException {
        assertEquals("cell-b", names("cell-b\n", "0123456789abcdef0123456789abcdef\n", "other").name());
    }

    @Test
    void localhostOrAnEmptyKernelNameFallsToTheMachineId() throws IOException {
        assertEquals("skiff-0123456789ab", names("localhost\n", "0123456789ABCDEF0123456789abcdef\n", "x").name());
        assertEquals("skiff-0123456789ab", names("\n", "0123456789abcdef0123456789abcdef", "x").name());
        assertEquals("skiff-0123456789ab", names("localhost.localdomain", "0123456789abcdef01234567", "x").name());
        assertEquals("skiff-0123456789ab", names(null, "0123456789abcdef0123456789abcdef", "x").name());
    }

    @Test
    void withoutBothTheResolvedNameIsUsed() throws IOException {
        assertEquals("resolved-host", names(null, null, "resolved-host").name());
        assertEquals("resolved-host", names("localhost", "not-hex-at-all!", "resolved-host").name());
    }

    @Test
    void withNothingUsableItIsTheFallback() throws IOException {
        assertEquals(HostNames.FALLBACK, names(null, null, null).name());
        assertEquals(HostNames.FALLBACK, names("localhost", "", "localhost").name());
        assertEquals(HostNames.FALLBACK, new HostNames(dir.resolve("no"), dir.resolve("no"), () -> {
            throw new IllegalStateException("no name");
        }).name());
    }
}
