package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NfsSettingsTest {

    @Test
    void libnfsSettingsAreTrimmedAndTheExportLosesItsTrailingSlash() {
        NfsSettings s = NfsSettings.libnfs(" 10.254.210.5 ", "/export/", " pool-1 ");
        assertEquals("10.254.210.5", s.server());
        assertEquals("/export", s.export());
        assertEquals("pool-1", s.poolName());
        assertEquals(AccessMode.LIBNFS, s.mode());
        assertEquals("/", NfsSettings.libnfs("nfs.example.org", "/", "p").export());
        assertEquals("fd00::5", NfsSettings.libnfs("fd00::5", "/srv/nfs/skiff", "p").server());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "nfs server", "nfs/1", "-nfs", "nfs_1", "a..b", "x?y"})
    void serversThatCannotBeAHostAreRefused(String server) {
        assertInvalid("server", () -> NfsSettings.libnfs(server, "/export", "p"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "export", "/ex port", "/export/../etc", "/./x", "//x", "/a?b", "/a#b", "/ä"})
    void exportsThatAreNotPlainAbsolutePathsAreRefused(String export) {
        assertInvalid("export", () -> NfsSettings.libnfs("nfs1", export, "p"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-p", "a b", "p/q",
            "x12345678901234567890123456789012345678901234567890123456789012345"})
    void badPoolNamesAreRefused(String pool) {
        assertInvalid("poolName", () -> NfsSettings.libnfs("nfs1", "/export", pool));
    }

    @Test
    void modesAreLibnfsOrMount() {
        assertEquals(AccessMode.LIBNFS, AccessMode.parse(""));
        assertEquals(AccessMode.LIBNFS, AccessMode.parse(" LibNFS "));
        assertEquals(AccessMode.MOUNT, AccessMode.parse("mount"));
        SkiffException e = assertInvalid("mode", () -> AccessMode.parse("fuse"));
        assertTrue(e.getMessage().contains("'fuse'"), e.getMessage());
    }

    @Test
    void timeOutsMustBePositive() {
        assertInvalid("connectTimeoutSeconds", () -> new NfsSettings("nfs1", "/export", AccessMode.LIBNFS, "p",
                Duration.ZERO, Duration.ofSeconds(1), null, null));
        assertInvalid("operationTimeoutSeconds", () -> new NfsSettings("nfs1", "/export", AccessMode.LIBNFS, "p",
                Duration.ofSeconds(1), Duration.ofSeconds(-1), null, null));
    }

    @Test
    void theMountModeNeedsAnAbsoluteMountPath() {
        assertInvalid("mountPath", () -> NfsSettings.mount("nfs1", "/export", "p", "qemu:///system",
                Path.of("relative")));
        assertEquals(Path.of("/var/lib/skiff/nfs"), NfsSettings.mount("nfs1", "/export", "p", "qemu:///system",
                Path.of("/var/lib/skiff/nfs")).mountPath());
    }

    @Test
    void aConfigurationWithoutMountPathMountsBelowKarafData() {
        NfsSettings s = NfsSettings.from(config("mount", ""));
        assertEquals(AccessMode.MOUNT, s.mode());
        assertTrue(s.mountPath().isAbsolute());
        assertTrue(s.mountPath().endsWith(Path.of("skiff", "nfs", "skiff-nfs")), s.mountPath().toString());
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Path.of("/mnt/skiff"), NfsSettings.from(config("mount", "/mnt/skiff/")).mountPath());
        assertInvalid("mode", () -> NfsSettings.from(config("nfs4", "")));
    }

    private static SkiffException assertInvalid(String field, Executable call) {
        SkiffException e = assertThrows(SkiffException.class, call);
        assertEquals(SkiffException.Kind.INVALID, e.kind());
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }

    private static NfsStorageConfig config(String mode, String mountPath) {
        return new NfsStorageConfig() {
            @Override
            public Class<NfsStorageConfig> annotationType() {
                return NfsStorageConfig.class;
            }

            @Override
            public String server() {
                return "nfs1";
            }

            @Override
            public String export() {
                return "/export";
            }

            @Override
            public String mode() {
                return mode;
            }

            @Override
            public String poolName() {
                return "skiff-nfs";
            }

            @Override
            public int connectTimeoutSeconds() {
                return 5;
            }

            @Override
            public int operationTimeoutSeconds() {
                return 60;
            }

            @Override
            public String uri() {
                return "qemu:///system";
            }

            @Override
            public String mountPath() {
                return mountPath;
            }
        };
    }
}
