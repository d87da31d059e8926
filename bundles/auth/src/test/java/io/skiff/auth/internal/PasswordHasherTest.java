package io.skiff.auth.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

    @Test
    void hashesAreSaltedSlowAndVerifiable() {
        PasswordHasher hasher = new PasswordHasher(120_000);
        String a = hasher.hash("correct horse");
        String b = hasher.hash("correct horse");
        assertTrue(a.startsWith("pbkdf2-sha256$120000$"), a);
        assertNotEquals(a, b, "a fresh salt per hash");
        assertFalse(a.contains("correct horse"));
        assertTrue(hasher.verify("correct horse", a));
        assertTrue(hasher.verify("correct horse", b));
        assertFalse(hasher.verify("correct horsE", a));
        assertFalse(hasher.verify("", a));
        assertFalse(hasher.verify(null, a));
    }

    @Test
    void storedHashesKeepTheirOwnIterationCount() {
        String old = new PasswordHasher(1000).hash("secret-1");
        assertTrue(new PasswordHasher(200_000).verify("secret-1", old));
    }

    @Test
    void malformedHashesNeverMatch() {
        PasswordHasher hasher = new PasswordHasher(1000);
        assertFalse(hasher.verify("x", null));
        assertFalse(hasher.verify("x", "x"));
        assertFalse(hasher.verify("x", "{CRYPT}abc{CRYPT}"));
        assertFalse(hasher.verify("x", "pbkdf2-sha256$abc$def$ghi"));
        assertFalse(hasher.verify("x", "md5$1$AA$AA"));
    }
}
