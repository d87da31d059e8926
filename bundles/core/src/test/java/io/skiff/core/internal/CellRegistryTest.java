package io.skiff.core.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.model.CellReport;
import io.skiff.api.model.CellResources;
import io.skiff.api.model.CellStatus;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterMember;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellRegistryTest {
    @TempDir
    Path dir;
    JournalStateStore store;
    TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    CellRegistry cells;
    ComputePoolServiceImpl pools;

    @BeforeEach
    void open() throws Exception {
        store = new JournalStateStore(dir, Json.newObjectMapper(), 1000);
        InventoryLock lock = new InventoryLock();
        cells = new CellRegistry(store, lock, clock, Duration.ofSeconds(6));
        pools = new ComputePoolServiceImpl(store, lock, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void report(String node) {
        cells.report(new CellReport(node, node + ".example", "0.1.0",
                new CellResources(4, 8L << 30, 4L << 30, 100L << 30, 50L << 30, 0.5, clock.instant())), node + "-addr");
    }

    @Test
    void firstReportAddsUnallocatedOnlineCell() {
        report("host-a");
        Cell cell = cells.get("host-a");
        assertEquals(CellStatus.ONLINE, cell.status());
        assertFalse(cell.allocated());
        assertTrue(cell.enabled());
        assertEquals(4, cell.resources().cpuCount());
        assertEquals("host-a.example", cell.hostname());
    }

    @Test
    void aNodeNameTwoMembersUseIsShownUntilOneLeavesAndCannotBeForgotten() {
        report("host-a");
        report("host-b");
        cells.findDuplicates(List.of(new ClusterMember("core", "10.0.0.1:7800", true),
                new ClusterMember("host-a", "10.0.0.2:7800", false),
                new ClusterMember("host-b", "10.0.0.3:7800", false),
                new ClusterMember("host-a", "10.0.0.4:7800", false)));
        assertEquals(CellStatus.DUPLICATE_NAME, cells.get("host-a").status());
        assertEquals(CellStatus.ONLINE, cells.get("host-b").status());
        SkiffException refused = assertThrows(SkiffException.class, () -> cells.forget("host-a"));
        assertEquals(SkiffException.Kind.CONFLICT, refused.kind());

        cells.findDuplicates(List.of(new ClusterMember("core", "10.0.0.1:7800", true),
                new ClusterMember("host-a", "10.0.0.2:7800", false),
                new ClusterMember("host-b", "10.0.0.3:7800", false)));
        assertEquals(CellStatus.ONLINE, cells.get("host-a").status());
    }

    @Test
    void silentCellGoesOfflineAndComesBack() {
        report("host-a");
        clock.advance(Duration.ofSeconds(5));
        cells.checkLiveness();
        assertEquals(CellStatus.ONLINE, cells.get("host-a").status());
        clock.advance(Duration.ofSeconds(2));
        cells.checkLiveness();
        assertEquals(CellStatus.OFFLINE, cells.get("host-a").status());
        assertEquals(clock.instant(), cells.get("host-a").lostAt(), "when the Core noticed");
        report("host-a");
        assertEquals(CellStatus.ONLINE, cells.get("host-a").status());
        assertEquals(null, cells.get("host-a").lostAt());
    }

    @Test
    void poolMembershipAndEnableSurviveRestartButLivenessDoesNot() throws Exception {
        pools.create("prod", "");
        report("host-a");
        cells.addToPool("host-a", "prod");
        cells.disable("host-a");
        store.close();
        store = new JournalStateStore(dir, Json.newObjectMapper(), 1000);
        cells = new CellRegistry(store, new InventoryLock(), clock, Duration.ofSeconds(6));

        Cell cell = cells.get("host-a");
        assertEquals("prod", cell.poolId());
        assertFalse(cell.enabled());
        assertEquals(CellStatus.OFFLINE, cell.status(), "offline until it reports again");
        assertNull(cell.resources());
    }

    @Test
    void addToPoolChecksCellAndPool() {
        report("host-a");
        SkiffException missingPool = assertThrows(SkiffException.class, () -> cells.addToPool("host-a", "nope"));
        assertEquals(SkiffException.Kind.NOT_FOUND, missingPool.kind());
        assertEquals("pool", missingPool.field());
        assertFalse(cells.get("host-a").allocated(), "nothing changed");

        pools.create("prod", "");
        SkiffException missingCell = assertThrows(SkiffException.class, () -> cells.addToPool("nope", "prod"));
        assertEquals("cell", missingCell.field());

        SkiffException noPool = assertThrows(SkiffException.class, () -> cells.addToPool("host-a", null));
        assertEquals(SkiffException.Kind.INVALID, noPool.kind());

        cells.addToPool("host-a", "prod");
        pools.create("dev", "");
        SkiffException other = assertThrows(SkiffException.class, () -> cells.addToPool("host-a", "dev"));
        assertEquals(SkiffException.Kind.CONFLICT, other.kind());
        assertEquals("prod", cells.get("host-a").poolId());
    }

    @Test
    void removeFromPoolMakesItUnallocatedAndFreesThePool() {
        pools.create("prod", "");
        report("host-a");
        cells.addToPool("host-a", "prod");
        assertThrows(SkiffException.class, () -> pools.delete("prod"));
        cells.removeFromPool("host-a");
        assertFalse(cells.get("host-a").allocated());
        assertThrows(SkiffException.class, () -> cells.removeFromPool("host-a"));
        pools.delete("prod");
    }

    @Test
    void forgetOnlyOfflineUnallocatedCells() {
        report("host-a");
        assertThrows(SkiffException.class, () -> cells.forget("host-a"));
        clock.advance(Duration.ofSeconds(10));
        cells.checkLiveness();
        cells.forget("host-a");
        assertTrue(cells.list().isEmpty());
    }
}
