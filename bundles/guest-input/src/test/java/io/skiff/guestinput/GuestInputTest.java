package io.skiff.guestinput;

import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuestInputTest {

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
}
