package io.skiff.guestinput;

import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuestInputTest {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9uZSBrZXkgZm9yIHRlc3Rz alice@laptop";

    @Test
    void goodInputPasses() {
        assertEquals("web-1.example.org", GuestInput.hostname("hostname", "web-1.example.org"));
        assertEquals("ops_1", GuestInput.user("user", "ops_1"));
        assertTrue(GuestInput.hash("password", "s3cret pass").startsWith("$6$"));
    }

    @Test
    void badInputNamesItsField() {
        assertEquals("hostname", assertThrows(SkiffException.class,
                () -> GuestInput.hostname("hostname", "-bad.example")).field());
        assertEquals("hostname", assertThrows(SkiffException.class,
                () -> GuestInput.hostname("hostname", "a..b")).field());
        assertEquals("guestInit.adminUser", assertThrows(SkiffException.class,
                () -> GuestInput.user("guestInit.adminUser", "Root")).field());
        assertEquals("password", assertThrows(SkiffException.class,
                () -> GuestInput.hash("password", "tab\there")).field());
        assertEquals("password", assertThrows(SkiffException.class,
                () -> GuestInput.hash("password", "x".repeat(GuestInput.MAX_PASSWORD + 1))).field());
    }

    @Test
    void hostnameLabelsAndLength() {
        assertEquals("a", GuestInput.hostname("h", "a"));
        assertEquals("x".repeat(63), GuestInput.hostname("h", "x".repeat(63)));
        for (String bad : new String[] {null, "", "bad_host", "a\nb", "x".repeat(64), "trailing.", ".lead",
                "end-", ("a.").repeat(127) + "ab"}) {
            assertInvalid("h", () -> GuestInput.hostname("h", bad));
        }
    }

    @Test
    void userNamesAreLinuxAccountNames() {
        assertEquals("_svc", GuestInput.user("u", "_svc"));
        assertEquals("a" + "b".repeat(31), GuestInput.user("u", "a" + "b".repeat(31)));
        for (String bad : new String[] {null, "", "Root", "1ops", "-ops", "a" + "b".repeat(32), "o ps", "ops!"}) {
            assertInvalid("u", () -> GuestInput.user("u", bad));
        }
    }

    @Test
    void passwordHashIsSha512CryptOnly() {
        // what the Core makes, with and without rounds=
        String made = GuestInput.hash("p", "s3cret");
        assertEquals(made, GuestInput.passwordHash("h", made));
        String rounds = "$6$rounds=5000$saltsalt$abcdefghijklmnopqrstuvwxyz0123456789./ABCDEFGHIJKLMNOPQRSTUVWX";
        assertEquals(rounds, GuestInput.passwordHash("h", rounds));
        // MD5, SHA-256, yescrypt, bcrypt, DES, plain text and anything that could break the seed's line
        for (String bad : new String[] {null, "", "$1$salt$abcdefghijklmnopqrstuv", "$5$salt$abcdef",
                "$y$j9T$salt$hash", "$2b$10$abcdefghijklmnopqrstuu", "abJnggxhB/yJU", "plain-password",
                "$6$salt$hash\nruncmd: [x]", "$6$salt$ha sh", "$6$"}) {
            assertInvalid("h", () -> GuestInput.passwordHash("h", bad));
        }
    }

    @Test
    void aPasswordAndKeysNeedTheirUser() {
        assertDoesNotThrow(() -> GuestInput.requireUser("u", "ops", true, true));
        assertDoesNotThrow(() -> GuestInput.requireUser("u", null, false, false));
        assertTrue(assertInvalid("u", () -> GuestInput.requireUser("u", null, true, false)).getMessage()
                .contains("password"));
        assertTrue(assertInvalid("u", () -> GuestInput.requireUser("u", null, false, true)).getMessage()
                .contains("SSH keys"));
    }

    @Test
    void sshKeysAreOnePublicKeyOnOneLine() {
        assertEquals(KEY, GuestInput.sshKey("k", "  " + KEY + "\n"), "surrounding white space goes");
        assertEquals("ecdsa-sha2-nistp256 AAAAE2VjZHNh", GuestInput.sshKey("k", "ecdsa-sha2-nistp256 AAAAE2VjZHNh"));
        assertEquals("sk-ssh-ed25519@openssh.com AAAAGnNr",
                GuestInput.sshKey("k", "sk-ssh-ed25519@openssh.com AAAAGnNr"));
        for (String bad : new String[] {null, "", "not a key", KEY + "\nruncmd: [x]", KEY + "\r\nx",
                "ssh-rsa", "rsa AAAAB3", "ssh-ed25519 AAAA" + "A".repeat(GuestInput.MAX_SSH_KEY)}) {
            assertInvalid("k", () -> GuestInput.sshKey("k", bad));
        }
    }

    @Test
    void filesystemsFromTheList() {
        for (String fs : GuestInput.FILESYSTEMS) {
            assertEquals(fs, GuestInput.filesystem("f", fs));
        }
        assertEquals(List.of("ext4", "ext3", "xfs", "btrfs", "vfat"), GuestInput.FILESYSTEMS);
        for (String bad : new String[] {null, "", "ntfs", "EXT4", "ext2", "ext4 "}) {
            assertInvalid("f", () -> GuestInput.filesystem("f", bad));
        }
    }

    @Test
    void mountPointsAreAbsoluteNamedPathsOtherThanRoot() {
        Set<String> taken = new HashSet<>();
        for (String good : new String[] {"/data", "/srv/www-1", "/mnt/disk_2.d", "/a", "/.hidden"}) {
            assertEquals(good, GuestInput.mountPoint("m", good, taken));
        }
        assertEquals("/" + "x".repeat(GuestInput.MAX_MOUNT_POINT - 1),
                GuestInput.mountPoint("m", "/" + "x".repeat(GuestInput.MAX_MOUNT_POINT - 1), taken));
        // root by any spelling, relative, empty names, escapes, other characters, too long
        for (String bad : new String[] {null, "", "/", "//", "/.", "/./", "/data/", "/a//b", "/a/./b", "data",
                "./data", "/..", "/a/../b", "/a..b", "/da ta", "/data\n", "/dätä", "/a:b",
                "/" + "x".repeat(GuestInput.MAX_MOUNT_POINT)}) {
            assertInvalid("m", () -> GuestInput.mountPoint("m", bad, new HashSet<>()));
        }
    }

    @Test
    void aMountPointIsUsedOnce() {
        Set<String> taken = new HashSet<>();
        GuestInput.mountPoint("mounts.0", "/data", taken);
        GuestInput.mountPoint("mounts.1", "/logs", taken);
        SkiffException twice = assertInvalid("mounts.2", () -> GuestInput.mountPoint("mounts.2", "/data", taken));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        assertEquals(Set.of("/data", "/logs"), taken);
    }

    private static SkiffException assertInvalid(String field, Executable call) {
        SkiffException e = assertThrows(SkiffException.class, call);
        assertEquals(SkiffException.Kind.INVALID, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }
}
