package io.skiff.auth.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitialAdminTest {

    @Test
    void generatesPasswordIntoPrivateFileOnce(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("etc/users.properties");
        Files.createDirectories(users.getParent());
        Files.writeString(users, "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
        Path pwFile = dir.resolve("data/skiff/initial-admin-password");
        InitialAdmin admin = new InitialAdmin(users, pwFile);

        String password = admin.ensure(null);

        assertEquals(20, password.length());
        assertEquals(password, Files.readString(pwFile).trim());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pwFile)));
        assertTrue(Files.readString(users).contains("admin = " + password + ",_g_:admingroup"));
        assertTrue(admin.exists());
        assertNull(admin.ensure(null), "second start leaves the account alone");
    }

    @Test
    void usesRequestedPasswordWithoutWritingFile(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("users.properties");
        Path pwFile = dir.resolve("initial-admin-password");
        String password = new InitialAdmin(users, pwFile).ensure("s3cret:pass=word");
        assertEquals("s3cret:pass=word", password);
        assertTrue(Files.notExists(pwFile));
        assertTrue(Files.readString(users).contains("admin = s3cret\\:pass\\=word,_g_:admingroup"));
    }

    @Test
    void refusesUnusablePasswords() {
        assertThrows(IllegalArgumentException.class, () -> InitialAdmin.checkUsable("has,comma"));
        assertThrows(IllegalArgumentException.class, () -> InitialAdmin.checkUsable("short"));
        assertThrows(IllegalArgumentException.class, () -> InitialAdmin.checkUsable(" padded-password "));
    }
}
