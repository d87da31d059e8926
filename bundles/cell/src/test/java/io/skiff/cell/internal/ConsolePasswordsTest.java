package io.skiff.cell.internal;

import io.skiff.api.cell.CellInstanceSpec;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsolePasswordsTest {

    @Test
    void passwordsHaveEightPrintableCharactersAndDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String p = ConsolePasswords.random();
            assertEquals(8, p.length());
            assertTrue(p.matches("[A-Za-z2-9]{8}"), p);
            seen.add(p);
        }
        assertEquals(1000, seen.size());
    }

    @Test
    void anInstanceKeepsItsPasswordOnceMadeAndNeverPrintsIt() {
        CellInstanceSpec spec = new CellInstanceSpec("i-1", "web", 1, 1 << 28, "linux-virtio", List.of(), false);
        CellInstanceFile file = new CellInstanceFile(spec, List.of("/v/a.qcow2"), List.of("p"), "/c/i-1.log", true);
        CellInstanceFile withPassword = file.withConsolePassword();
        assertNotNull(withPassword.consolePassword());
        assertSame(withPassword, withPassword.withConsolePassword(), "an existing password is kept");
        assertFalse(withPassword.toString().contains(withPassword.consolePassword()));
    }
}
