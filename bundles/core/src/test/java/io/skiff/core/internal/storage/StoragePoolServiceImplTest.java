package io.skiff.core.internal.storage;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellVolumes;
import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.CellStoragePool;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.StoragePool;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;
import io.skiff.core.internal.ComputePoolServiceImpl;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.instance.InstanceRecord;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoragePoolServiceImplTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final Map<String, String> NFS = Map.of("server", "10.0.0.5", "export", "/export/");

    @TempDir
    Path dir;
    JournalStateStore store;
    ComputePoolServiceImpl computePools;
    StoragePoolServiceImpl pools;
    final Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    final List<Cell> cells = new ArrayList<>();
    /** What each cell answers to a check; a cell not in the map has no backend of the pool's type. */
    final Map<String, Function<StoragePoolDefinition, Ack>> answers = new HashMap<>();
    final List<String> asked = new ArrayList<>();
    final List<CellStoragePool> reports = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        store = new JournalStateStore(dir, Json.newObjectMapper(), 1000);
        computePools = new ComputePoolServiceImpl(store, new InventoryLock());
        computePools.create("prod", "");
        computePools.create("dev", "");
        pools = service();
        cells.add(cell("cell-a", CellStatus.ONLINE));
        answers.put("cell-a", d -> new Ack(null, "checked"));
    }

    private StoragePoolServiceImpl service() {
        return new StoragePoolServiceImpl(store, new InventoryLock(),
                new StoragePoolCheck(() -> List.copyOf(cells), this::volumesOf), computePools,
                () -> List.copyOf(reports), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Cell cell(String id, CellStatus status) {
        return new Cell(id, id, "10.0.0.1", "prod", true, status, null, T, T);
    }

    private CellVolumes volumesOf(String cell) {
        return (CellVolumes) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CellVolumes.class},
                (proxy, method, args) -> {
                    assertEquals("checkStoragePool", method.getName());
                    asked.add(cell);
                    Function<StoragePoolDefinition, Ack> answer = answers.get(cell);
                    if (answer == null) {
                        throw SkiffException.providerUnavailable("StorageBackend", "nfs", "cell " + cell);
                    }
                    return answer.apply((StoragePoolDefinition) args[0]);
                });
    }

    @Test
    void createsCheckedPoolThatSurvivesRestart() throws Exception {
        StoragePool created = pools.create("shared", "nfs", NFS, null);
        assertEquals(Map.of("server", "10.0.0.5", "export", "/export", "mode", "libnfs"), created.settings());
        assertEquals(List.of("cell-a"), asked);
        pools.create("disks", "local", Map.of(), null);
        store.close();
        store = new JournalStateStore(dir, Json.newObjectMapper(), 1000);
        computePools = new ComputePoolServiceImpl(store, new InventoryLock());
        pools = service();

        assertEquals(List.of("disks", "shared"), pools.list(null).stream().map(StoragePool::name).toList());
        StoragePool shared = pools.get("shared", null);
        assertEquals("nfs", shared.provider());
        assertEquals(T, shared.createdAt());
        assertTrue(shared.shared());
        assertFalse(pools.get("disks", null).shared());
    }

    @Test
    void refusesBadInputNamingTheField() {
        assertField("name", () -> pools.create("has space", "nfs", NFS, null));
        assertField("type", () -> pools.create("p", "ceph", NFS, null));
        assertField("type", () -> pools.create("p", null, NFS, null));
        assertField("server", () -> pools.create("p", "nfs", Map.of("export", "/export"), null));
        assertField("server", () -> pools.create("p", "nfs", Map.of("server", "bad host", "export", "/e"), null));
        assertField("export", () -> pools.create("p", "nfs", Map.of("server", "nas"), null));
        assertField("export", () -> pools.create("p", "nfs", Map.of("server", "nas", "export", "export"), null));
        assertField("export", () -> pools.create("p", "nfs", Map.of("server", "nas", "export", "/a/../b"), null));
        assertField("mode", () -> pools.create("p", "nfs", Map.of("server", "nas", "export", "/e", "mode", "fuse"),
                null));
        assertField("path", () -> pools.create("p", "local", Map.of("path", "relative"), null));
        assertField("server", () -> pools.create("p", "local", Map.of("server", "nas"), null));
        assertTrue(asked.isEmpty(), "no cell was asked about a pool refused here");
        assertTrue(pools.list(null).isEmpty(), "nothing changed");
    }

    private static void assertField(String field, Runnable action) {
        SkiffException e = assertThrows(SkiffException.class, action::run);
        assertEquals(Kind.INVALID, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void theCellsAnswerForAnUnreachableServerOrMissingExport() {
        answers.put("cell-a", d -> {
            throw SkiffException.invalid("export", "NFS server '10.0.0.5' does not export '/export' to this host");
        });
        SkiffException e = assertThrows(SkiffException.class, () -> pools.create("shared", "nfs", NFS, null));
        assertEquals(Kind.INVALID, e.kind());
        assertEquals("export", e.field());
        assertTrue(pools.list(null).isEmpty());
    }

    @Test
    void asksTheNextOnlineCellAndRefusesWhenNoneCanCheck() {
        cells.clear();
        cells.add(cell("cell-a", CellStatus.ONLINE));
        cells.add(cell("cell-b", CellStatus.OFFLINE));
        cells.add(cell("cell-c", CellStatus.ONLINE));
        answers.clear();
        answers.put("cell-b", d -> new Ack(null, "checked"));
        SkiffException e = assertThrows(SkiffException.class, () -> pools.create("shared", "nfs", NFS, null));
        assertEquals(Kind.CONFLICT, e.kind());
        assertEquals(StoragePoolCheck.NO_CELL, e.code());
        assertTrue(e.getMessage().contains("cell-a") && e.getMessage().contains("cell-c"), e.getMessage());
        assertEquals(List.of("cell-a", "cell-c"), asked, "the offline cell is not asked");

        answers.put("cell-c", d -> new Ack(null, "checked"));
        asked.clear();
        pools.create("shared", "nfs", NFS, null);
        assertEquals(List.of("cell-a", "cell-c"), asked);
    }

    @Test
    void refusesDuplicates() {
        pools.create("shared", "nfs", NFS, null);
        SkiffException e = assertThrows(SkiffException.class, () -> pools.create("shared", "local", Map.of(), null));
        assertEquals(Kind.CONFLICT, e.kind());
        assertEquals("name", e.field());
        assertEquals("nfs", pools.get("shared", null).provider());
    }

    @Test
    void attachesOnePoolPerComputePoolAndSeveralComputePoolsPerPool() {
        pools.create("shared", "nfs", NFS, null);
        pools.create("disks", "local", Map.of(), null);
        pools.attach("shared", "prod", null);
        assertEquals(List.of("dev", "prod"), pools.attach("shared", "dev", null).computePools());
        assertEquals(List.of("dev", "prod"), pools.attach("shared", "dev", null).computePools(), "idempotent");
        assertEquals("shared", pools.forComputePool("prod", null).orElseThrow().id());

        SkiffException other = assertThrows(SkiffException.class, () -> pools.attach("disks", "prod", null));
        assertEquals(Kind.CONFLICT, other.kind());
        assertEquals("computePool", other.field());
        SkiffException missing = assertThrows(SkiffException.class, () -> pools.attach("disks", "nope", null));
        assertEquals(Kind.NOT_FOUND, missing.kind());
        assertEquals("computePool", missing.field());

        assertEquals(List.of("dev"), pools.detach("shared", "prod", null).computePools());
        assertTrue(pools.forComputePool("prod", null).isEmpty());
        assertEquals(Kind.NOT_FOUND, assertThrows(SkiffException.class,
                () -> pools.detach("shared", "prod", null)).kind());
        pools.attach("disks", "prod", null);
    }

    @Test
    void failoverNeedsASharedStoragePoolThatStaysAttached() {
        pools.create("shared", "nfs", NFS, null);
        pools.create("disks", "local", Map.of(), null);
        SkiffException none = assertThrows(SkiffException.class, () -> computePools.update("prod", "", true));
        assertEquals(Kind.CONFLICT, none.kind());
        assertEquals("failover", none.field());
        assertTrue(none.getMessage().contains("shared"), none.getMessage());

        pools.attach("disks", "prod", null);
        SkiffException local = assertThrows(SkiffException.class, () -> computePools.update("prod", "", true));
        assertEquals("failover", local.field());
        assertTrue(local.getMessage().contains("'disks'"), local.getMessage());
        assertFalse(computePools.get("prod").failover());

        pools.detach("disks", "prod", null);
        pools.attach("shared", "prod", null);
        assertTrue(computePools.update("prod", "hosts", true).failover());
        assertTrue(computePools.update("prod", "renamed").failover(), "a description change keeps failover");
        assertTrue(computePools.update("prod", "", null).failover());

        SkiffException detach = assertThrows(SkiffException.class, () -> pools.detach("shared", "prod", null));
        assertEquals(Kind.CONFLICT, detach.kind());
        assertEquals("computePool", detach.field());
        assertFalse(computePools.update("prod", "", false).failover());
        assertEquals(List.of(), pools.detach("shared", "prod", null).computePools(), "detached once failover is off");
    }

    @Test
    void failoverChangesOnlyWhileThePoolHasNoInstances() {
        pools.create("shared", "nfs", NFS, null);
        pools.attach("shared", "prod", null);
        store.put(InstanceRecord.TYPE, "i-1", new InstanceRecord("i-1", new InstanceSpec("vm-1", "prod", null, 1,
                64L << 20, List.of(new DiskSpec(1L << 30, null, null)), "linux-virtio", null, false), "cell-a",
                "admin", "admin", InstanceState.RUNNING, null, null, T, T));
        SkiffException e = assertThrows(SkiffException.class, () -> computePools.update("prod", "", true));
        assertEquals(Kind.CONFLICT, e.kind());
        assertEquals("failover", e.field());
        assertTrue(e.getMessage().contains("1 instance(s)"), e.getMessage());
        assertFalse(computePools.update("prod", "still no failover", null).failover(), "the description changes");
    }

    @Test
    void refusesAttachingALocalPoolToAFailoverPool() {
        pools.create("shared", "nfs", NFS, null);
        pools.create("disks", "local", Map.of(), null);
        pools.attach("shared", "prod", null);
        computePools.update("prod", "", true);
        store.put("storage-pool", "shared", pools.get("shared", null).withComputePools(List.of()));
        SkiffException e = assertThrows(SkiffException.class, () -> pools.attach("disks", "prod", null));
        assertEquals(Kind.CONFLICT, e.kind());
        assertEquals("computePool", e.field());
        assertTrue(e.getMessage().contains("not shared"), e.getMessage());
    }

    @Test
    void refusesDeletingWhileAttachedOrHoldingVolumes() {
        pools.create("shared", "nfs", NFS, null);
        pools.attach("shared", "prod", null);
        SkiffException attached = assertThrows(SkiffException.class, () -> pools.delete("shared", null));
        assertEquals(Kind.CONFLICT, attached.kind());
        assertTrue(attached.getMessage().contains("prod"), attached.getMessage());
        SkiffException computePool = assertThrows(SkiffException.class, () -> computePools.delete("prod"));
        assertEquals(Kind.CONFLICT, computePool.kind(), "a compute pool keeps its storage pool until detached");

        pools.detach("shared", "prod", null);
        for (String id : List.of("i-1", "i-2")) {
            store.put(InstanceRecord.TYPE, id, new InstanceRecord(id, new InstanceSpec(id, "prod", null, 1, 1L << 26,
                    List.of(new DiskSpec(1L << 30, "shared", null)), "linux-virtio", null, false), "cell-a", "u",
                    "u", InstanceState.RUNNING, null, null, T, T));
        }
        SkiffException volumes = assertThrows(SkiffException.class, () -> pools.delete("shared", null));
        assertEquals(Kind.CONFLICT, volumes.kind());
        assertTrue(volumes.getMessage().contains("2 instance"), volumes.getMessage());

        store.delete(InstanceRecord.TYPE, "i-1");
        store.delete(InstanceRecord.TYPE, "i-2");
        pools.delete("shared", null);
        assertTrue(pools.list(null).isEmpty());
        assertEquals(Kind.NOT_FOUND, assertThrows(SkiffException.class, () -> pools.delete("shared", null)).kind());
    }

    @Test
    void countsASharedPoolOnceAndLocalPoolsPerCell() {
        pools.create("shared", "nfs", NFS, null);
        pools.create("disks", "local", Map.of("path", "/srv/disks"), null);
        reports.add(new CellStoragePool("cell-a", "shared", "nfs", 1000, 400, 600, T));
        reports.add(new CellStoragePool("cell-b", "shared", "nfs", 1000, 450, 550, T.plusSeconds(2)));
        reports.add(new CellStoragePool("cell-a", "disks", "local", 100, 10, 90, T));
        reports.add(new CellStoragePool("cell-b", "disks", "local", 200, 20, 180, T));
        reports.add(new CellStoragePool("cell-a", "skiff-local", "local", 5000, 0, 5000, T));

        StoragePool shared = pools.get("shared", null);
        assertEquals(1000, shared.capacityBytes(), "one export, counted once");
        assertEquals(550, shared.freeBytes(), "from the newest report");
        StoragePool disks = pools.get("disks", null);
        assertEquals(300, disks.capacityBytes());
        assertEquals(270, disks.freeBytes());
        reports.clear();
        assertEquals(0, pools.list(null).get(1).capacityBytes(), "nothing reported: nothing known");
    }
}
