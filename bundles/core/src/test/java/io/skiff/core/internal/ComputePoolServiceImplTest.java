package io.skiff.core.internal;

import io.skiff.api.model.ComputePool;
import io.skiff.api.service.SkiffException;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComputePoolServiceImplTest {
    @TempDir
    Path dir;
    JournalStateStore store;
    ComputePoolServiceImpl pools;
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void open() throws Exception {
        store = new JournalStateStore(dir, Json.newObjectMapper(), 1000);
        pools = new ComputePoolServiceImpl(store, new InventoryLock(), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createsListsAndSurvivesRestart() throws Exception {
        pools.create("prod", "production hosts");
        pools.create("dev", null);
        store.close();
        store = new JournalStateStore(dir, Json.newObjectMapper(), 1000);
        pools = new ComputePoolServiceImpl(store, new InventoryLock(), clock);

        assertEquals(2, pools.list().size());
        ComputePool prod = pools.get("prod");
        assertEquals("production hosts", prod.description());
        assertEquals(clock.instant(), prod.createdAt());
        assertEquals("", pools.get("dev").description());
    }

    @Test
    void refusesBadNamesNamingTheField() {
        for (String bad : new String[] {null, "", "has space", "-lead", "x".repeat(65), "semi;colon", "ü"}) {
            SkiffException e = assertThrows(SkiffException.class, () -> pools.create(bad, ""), String.valueOf(bad));
            assertEquals(SkiffException.Kind.INVALID, e.kind());
            assertEquals("name", e.field());
        }
        assertTrue(pools.list().isEmpty(), "nothing changed");
        pools.create("x".repeat(64), "");
    }

    @Test
    void refusesDuplicates() {
        pools.create("prod", "first");
        SkiffException e = assertThrows(SkiffException.class, () -> pools.create("prod", "second"));
        assertEquals(SkiffException.Kind.CONFLICT, e.kind());
        assertEquals("first", pools.get("prod").description());
    }

    @Test
    void refusesDeletingPoolWithCells() {
        pools.create("prod", "");
        store.put(CellRecord.TYPE, "host-a", new CellRecord("host-a", "host-a", "a", "prod", true, clock.instant()));
        SkiffException e = assertThrows(SkiffException.class, () -> pools.delete("prod"));
        assertEquals(SkiffException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("host-a"));
        assertEquals(1, pools.list().size());
    }

    @Test
    void deletesEmptyPoolAndReportsMissing() {
        pools.create("prod", "");
        pools.delete("prod");
        assertTrue(pools.list().isEmpty());
        SkiffException e = assertThrows(SkiffException.class, () -> pools.delete("prod"));
        assertEquals(SkiffException.Kind.NOT_FOUND, e.kind());
        assertThrows(SkiffException.class, () -> pools.get("prod"));
    }

    @Test
    void updatesDescription() {
        pools.create("prod", "old");
        assertEquals("new", pools.update("prod", "new").description());
        SkiffException e = assertThrows(SkiffException.class, () -> pools.update("prod", "d".repeat(2000)));
        assertEquals("description", e.field());
        assertEquals("new", pools.get("prod").description());
    }
}
