package io.skiff.cell.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellInstanceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellInstanceStoreTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private static CellInstanceFile file(String id, boolean defined) {
        CellInstanceSpec spec = new CellInstanceSpec(id, "vm-" + id, 1, 256L << 20, "linux-virtio",
                List.of(new CellDisk("skiff-" + id + "-disk0", null, 1L << 30, null)), false);
        return new CellInstanceFile(spec, List.of("/v/" + id + ".qcow2"), List.of("skiff-local"), "/c/" + id + ".log",
                defined);
    }

    @Test
    void savesAtomicallyAndReadsBackAfterRestart(@TempDir Path dir) throws Exception {
        CellInstanceStore store = new CellInstanceStore(dir, mapper);
        store.save(file("b", true));
        store.save(file("a", false));
        store.save(file("a", true));
        assertTrue(Files.exists(dir.resolve("a.json")));
        assertFalse(Files.exists(dir.resolve("a.json.tmp")));

        CellInstanceStore reopened = new CellInstanceStore(dir, mapper);
        assertEquals(List.of("a", "b"), reopened.all().stream().map(f -> f.spec().instanceId()).toList());
        assertTrue(reopened.load("a").orElseThrow().defined());
        assertEquals(file("b", true), reopened.load("b").orElseThrow());
    }

    @Test
    void aWriteThatACrashInterruptedLeavesNoTemporaryFileAfterRestart(@TempDir Path dir) throws Exception {
        CellInstanceStore store = new CellInstanceStore(dir, mapper);
        store.save(file("a", true));
        // killed between writing the new content and the rename: the old file stands, the temp beside it
        Files.writeString(dir.resolve("a.json.tmp"), "{\"half\":");
        Files.writeString(dir.resolve("b.json.tmp"), "");

        CellInstanceStore reopened = new CellInstanceStore(dir, mapper);
        assertEquals(List.of("a"), reopened.all().stream().map(f -> f.spec().instanceId()).toList());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("a.json"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void deleteRemovesFileAndEntry(@TempDir Path dir) throws Exception {
        CellInstanceStore store = new CellInstanceStore(dir, mapper);
        store.save(file("a", true));
        store.delete("a");
        assertTrue(store.load("a").isEmpty());
        assertFalse(Files.exists(dir.resolve("a.json")));
        assertTrue(new CellInstanceStore(dir, mapper).all().isEmpty());
    }

    @Test
    void refusesIdsThatAreNotFileNames(@TempDir Path dir) {
        CellInstanceStore store = new CellInstanceStore(dir, mapper);
        assertThrows(IllegalArgumentException.class, () -> store.load("../etc"));
    }
}
