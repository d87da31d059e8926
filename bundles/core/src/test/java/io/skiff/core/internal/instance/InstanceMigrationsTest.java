package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.CopyRelease;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.MigrationCompletion;
import io.skiff.api.cell.MigrationSource;
import io.skiff.api.cell.MigrationStatus;
import io.skiff.api.cell.MigrationTarget;
import io.skiff.api.cell.OutgoingMigration;
import io.skiff.api.cell.SnapshotList;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellResources;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;

import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.Snapshot;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceMigrationService;
import io.skiff.api.service.SkiffException;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Core's side of a migration against a <b>cell protocol faked at unit level</b> (cells {@code cell-1},
 * {@code cell-2}, ... answered by one stand-in): what is refused before anything is queued, the steps of a live move,
 * and what a failure undoes. The moves between real libvirtds are tested by {@code MigrationIT}.
 */
@DisplayName("Migration in the Core against a faked cell protocol (unit)")
class InstanceMigrationsTest {
    private static final AuthenticatedUser ADMIN = new AuthenticatedUser("admin", Set.of("admin"));
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final FakeCellTransport cells = new FakeCellTransport("cell-1", "cell-2", "cell-3", "cell-4");
    private final RecordingOperationLog operations = new RecordingOperationLog();
    private final List<OperationRecord> audit = operations.entries;
    private JournalStateStore store;
    private JournaledTaskEngine engine;
    private InstanceCapabilities instances;

    private void open(Map<String, Object> settings, InstanceRecord... records) throws Exception {
        open(settings, Map.of(), records);
    }

    /** @param tls the cells' migration TLS states (cell → off, requested, ready) */
    private void open(Map<String, Object> settings, Map<String, String> tls, InstanceRecord... records)
            throws Exception {
        InstanceProviders providers = CapabilitiesFixture.firstFitLogging(operations);
        CapabilitiesFixture f = CapabilitiesFixture.open(dir, new Cells(tls), cells, settings, providers, 4, records);
        store = f.store();
        engine = f.engine();
        instances = f.instances();
        cells.answer(CellProtocol.SNAPSHOT_LIST, body -> new SnapshotList("i-1", List.of()));
    }

    @AfterEach
    void close() {
        if (instances != null) {
            instances.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private static InstanceRecord record(String id, InstanceState state) {
        InstanceSpec spec = new InstanceSpec("vm-" + id, "pool", null, 1, 256L << 20,
                List.of(new DiskSpec(64L << 20, null, null, null)), "linux-virtio", null, false, null, null, null);
        return new InstanceRecord(id, spec, "cell-1", "admin", "admin", state, null, null, T, T);
    }

    private void source(boolean shared, String domainState) {
        cells.answer(CellProtocol.MIGRATION_SOURCE, body -> new MigrationSource(((InstanceAction) body).instanceId(),
                List.of("/a/v0.qcow2"), List.of("skiff-local"), List.of(64L << 20), shared, "52:54:00:00:00:01",
                "pw", domainState));
    }

    private void cellsAnswerAMove(String phase) {
        cells.answer(CellProtocol.MIGRATION_PREPARE, body -> new MigrationTarget("i-1", "cell-2",
                "qemu+tcp://cell-2/system", List.of("/b/v0.qcow2"), null, null, "/b/i-1.log", "10.0.0.2"));
        cells.answer(CellProtocol.MIGRATION_START, body -> new Ack("i-1", "migrating"));
        cells.answer(CellProtocol.MIGRATION_STATUS, body -> new MigrationStatus("i-1", phase, 100,
                phase.equals(MigrationStatus.FAILED) ? "client socket is closed" : "migrated", 1500, 120, 1L << 27));
        cells.answer(CellProtocol.MIGRATION_COMPLETE, body -> new Ack("i-1", "owned"));
        cells.answer(CellProtocol.MIGRATION_RELEASE, body -> new Ack("i-1", "released"));
        cells.answer(CellProtocol.MIGRATION_RECOVER, body -> new Ack("i-1", "recovered"));
    }

    private TaskInfo await(TaskInfo task) throws Exception {
        return engine.completion(task.id()).get(30, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("bad targets are refused before anything is queued, naming the field")
    void badTargetsAreRefused() throws Exception {
        open(Map.of(), record("i-1", InstanceState.RUNNING));
        source(false, "RUNNING");
        InstanceMigrationService migrations = instances.migrations();
        record Case(String cell, SkiffException.Kind kind, String words) {
        }
        for (Case c : List.of(new Case("cell-1", SkiffException.Kind.CONFLICT, "already"),
                new Case("nowhere", SkiffException.Kind.INVALID, "no cell"),
                new Case("cell-3", SkiffException.Kind.CONFLICT, "not in compute pool"),
                new Case("cell-4", SkiffException.Kind.CONFLICT, "offline"),
                new Case("cell-5", SkiffException.Kind.CONFLICT, "disabled"))) {
            SkiffException e = assertThrows(SkiffException.class, () -> migrations.migrate("vm-i-1", c.cell(), ADMIN),
                    c.cell());
            assertEquals(c.kind(), e.kind(), c + ": " + e.getMessage());
            assertEquals("cell", e.field(), c.toString());
            assertTrue(e.getMessage().contains(c.words()), c + ": " + e.getMessage());
        }
        assertTrue(engine.list().isEmpty(), "nothing queued");
        assertFalse(cells.types().contains(CellProtocol.MIGRATION_PREPARE));
    }

    @Test
    @DisplayName("an instance with snapshots on local storage is refused naming the instance: a copy would lose them")
    void snapshotsOnLocalStorageAreRefused() throws Exception {
        open(Map.of(), record("i-1", InstanceState.RUNNING), record("i-2", InstanceState.STOPPED));
        source(false, "RUNNING");
        withSnapshots(1);
        for (String name : List.of("vm-i-1", "vm-i-2")) {
            SkiffException e = assertThrows(SkiffException.class,
                    () -> instances.migrations().migrate(name, "cell-2", ADMIN));
            assertEquals("instance", e.field());
            assertTrue(e.getMessage().contains("a move with storage copy would lose the 1 snapshot(s) kept inside the"
                    + " disks; delete them or use shared storage"), e.getMessage());
        }
        assertTrue(engine.list().isEmpty(), "nothing queued");
    }

    private void withSnapshots(int n) {
        List<Snapshot> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Snapshot("s" + i, "i-1", "s" + i, null, i == 0 ? null : "s" + (i - 1), T, "RUNNING",
                    i == n - 1));
        }
        cells.answer(CellProtocol.SNAPSHOT_LIST, body -> new SnapshotList("i-1", list));
    }

    @Test
    @DisplayName("a stopped instance on local storage moves cold with its disks: migrated (paused), switched, released")
    void aColdMoveOnLocalStorage() throws Exception {
        open(Map.of(), record("i-1", InstanceState.STOPPED));
        source(false, "SHUT_OFF");
        cellsAnswerAMove(MigrationStatus.SUCCEEDED);
        TaskInfo done = await(instances.migrations().migrate("vm-i-1", "cell-2", ADMIN));
        assertEquals(TaskState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals("cell-2", instances.lifecycle().get("i-1").cellId());
        assertEquals(InstanceState.STOPPED, instances.lifecycle().get("i-1").state());
        assertEquals(List.of(CellProtocol.SNAPSHOT_LIST + "@cell-1", CellProtocol.MIGRATION_SOURCE + "@cell-1",
                CellProtocol.MIGRATION_SOURCE + "@cell-1", CellProtocol.MIGRATION_PREPARE + "@cell-2",
                CellProtocol.MIGRATION_START + "@cell-1", CellProtocol.MIGRATION_STATUS + "@cell-1",
                CellProtocol.MIGRATION_COMPLETE + "@cell-2", CellProtocol.MIGRATION_RELEASE + "@cell-1"),
                moveCalls(), "the requests, in order");
        assertTrue(((OutgoingMigration) cells.bodies(CellProtocol.MIGRATION_START).get(0)).copyStorage(),
                "the disks are copied");
        assertTrue(((MigrationCompletion) cells.bodies(CellProtocol.MIGRATION_COMPLETE).get(0)).defineDomain());
        assertFalse(((CopyRelease) cells.bodies(CellProtocol.MIGRATION_RELEASE).get(0)).keepVolumes());
        assertTrue(done.steps().stream().anyMatch(s -> s.kind().equals(MoveInstanceStep.KIND)
                && "false".equals(s.data().get("live"))), "a cold move step");
    }

    @Test
    @DisplayName("a cold move on local storage failing at the switch: copies forced off, target released, no move back")
    void aFailedColdMoveIsUndone() throws Exception {
        open(Map.of(FaultInjection.FAIL_STEP, SwitchCellStep.KIND), record("i-1", InstanceState.STOPPED));
        source(false, "SHUT_OFF"); // the target, asked during the undo, holds it defined and off
        cellsAnswerAMove(MigrationStatus.SUCCEEDED);
        cells.answer(CellProtocol.STOP, body -> new Ack("i-1", "not running"));
        TaskInfo done = await(instances.migrations().migrate("vm-i-1", "cell-2", ADMIN));
        assertEquals(TaskState.FAILED, done.state());
        assertEquals("cell-1", instances.lifecycle().get("i-1").cellId());
        assertEquals(InstanceState.STOPPED, instances.lifecycle().get("i-1").state());
        List<String> calls = cells.calls();
        assertTrue(calls.contains(CellProtocol.STOP + "@cell-1"), "the source's paused copy is forced off: " + calls);
        assertTrue(((InstanceAction) cells.bodies(CellProtocol.STOP).get(0)).force());
        assertFalse(calls.contains(CellProtocol.MIGRATION_START + "@cell-2"), "the source's disks are intact: "
                + calls);
        assertTrue(calls.contains(CellProtocol.MIGRATION_RELEASE + "@cell-2"), calls.toString());
        assertFalse(((CopyRelease) cells.bodies(CellProtocol.MIGRATION_RELEASE).get(0)).keepVolumes(),
                "the target's copied volumes go");
        assertFalse(calls.contains(CellProtocol.MIGRATION_RELEASE + "@cell-1"), "the source keeps its copy");
    }

    @Test
    @DisplayName("on shared storage an instance with snapshots moves, live or cold; one stopped without only switches")
    void snapshotsMoveOnSharedStorage() throws Exception {
        open(Map.of(), record("i-1", InstanceState.RUNNING), record("i-2", InstanceState.STOPPED),
                record("i-3", InstanceState.STOPPED));
        source(true, "RUNNING");
        cellsAnswerAMove(MigrationStatus.SUCCEEDED);
        TaskInfo plain = await(instances.migrations().migrate("vm-i-3", "cell-2", ADMIN));
        assertEquals(TaskState.SUCCEEDED, plain.state(), String.valueOf(plain.error()));
        assertTrue(cells.bodies(CellProtocol.MIGRATION_START).isEmpty(), "only the definition moves");
        withSnapshots(2);
        for (String name : List.of("vm-i-1", "vm-i-2")) {
            TaskInfo done = await(instances.migrations().migrate(name, "cell-2", ADMIN));
            assertEquals(TaskState.SUCCEEDED, done.state(), name + ": " + done.error());
        }
        List<Object> starts = cells.bodies(CellProtocol.MIGRATION_START);
        assertEquals(2, starts.size(), "both migrate (the snapshot metadata goes with the domain)");
        assertTrue(starts.stream().noneMatch(b -> ((OutgoingMigration) b).copyStorage()), "nothing is copied");
        assertTrue(cells.bodies(CellProtocol.MIGRATION_RELEASE).stream()
                .allMatch(b -> ((CopyRelease) b).keepVolumes()));
    }

    @Test
    @DisplayName("a cold move on shared storage that fails at the switch moves back, so the snapshot metadata returns")
    void aFailedColdSharedMoveMovesBack() throws Exception {
        open(Map.of(FaultInjection.FAIL_STEP, SwitchCellStep.KIND), record("i-1", InstanceState.STOPPED));
        source(true, "SHUT_OFF");
        withSnapshots(1);
        cellsAnswerAMove(MigrationStatus.SUCCEEDED);
        cells.answer(CellProtocol.STOP, body -> new Ack("i-1", "not running"));
        List<String> calls = failedMove();
        int back = calls.lastIndexOf(CellProtocol.MIGRATION_START + "@cell-2");
        assertTrue(back > 0, "the target moves it back: " + calls);
        assertFalse(((OutgoingMigration) cells.bodies(CellProtocol.MIGRATION_START).get(1)).copyStorage());
        assertTrue(calls.lastIndexOf(CellProtocol.MIGRATION_RELEASE + "@cell-2") > back, "then the target releases");
        assertTrue(((CopyRelease) cells.bodies(CellProtocol.MIGRATION_RELEASE).get(0)).keepVolumes());
    }

    @Test
    @DisplayName("a live move: prepare the target, migrate, switch, release the source; the downtime is recorded")
    void aLiveMove() throws Exception {
        open(Map.of(), record("i-1", InstanceState.RUNNING));
        source(false, "RUNNING");
        cellsAnswerAMove(MigrationStatus.SUCCEEDED);
        TaskInfo done = await(instances.migrations().migrate("vm-i-1", null, ADMIN));
        assertEquals(TaskState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals("cell-2", instances.lifecycle().get("i-1").cellId(), "the placement chose the only other cell");
        assertEquals(List.of(CellProtocol.SNAPSHOT_LIST + "@cell-1", CellProtocol.MIGRATION_SOURCE + "@cell-1",
                CellProtocol.MIGRATION_PREPARE + "@cell-2", CellProtocol.MIGRATION_START + "@cell-1",
                CellProtocol.MIGRATION_STATUS + "@cell-1", CellProtocol.MIGRATION_COMPLETE + "@cell-2",
                CellProtocol.MIGRATION_RELEASE + "@cell-1"), moveCalls(), "the requests, in order");
        OutgoingMigration start = (OutgoingMigration) cells.bodies(CellProtocol.MIGRATION_START).get(0);
        assertTrue(start.copyStorage(), "local storage: the disks are copied");
        assertFalse(((CopyRelease) cells.bodies(CellProtocol.MIGRATION_RELEASE).get(0)).keepVolumes());
        Map<String, String> move = done.steps().stream().filter(s -> s.kind().equals(MoveInstanceStep.KIND))
                .findFirst().orElseThrow().data();
        assertEquals("120", move.get("downtimeMillis"));
        assertEquals("1500", move.get("wallMillis"));
        assertEquals(InstanceState.RUNNING, instances.lifecycle().get("i-1").state());
    }

    @Test
    @DisplayName("migrationTls prefer: over TLS when both cells are ready, recorded in the step and the operation log")
    void tlsWhenBothCellsAreReady() throws Exception {
        assertMigratesLive(Map.of(), "ready", "over TLS");
    }

    @Test
    @DisplayName("migrationTls prefer with a cell that waits for its certificate: the migration runs without TLS")
    void clearWhenACellIsNotReady() throws Exception {
        assertMigratesLive(Map.of(), "requested", "without TLS");
    }

    @Test
    @DisplayName("migrationTls off: without TLS, though both cells are ready")
    void clearWhenTlsIsOff() throws Exception {
        assertMigratesLive(Map.of("migrationTls", "off"), "ready", "without TLS");
    }

    /** Moves vm-i-1 from cell-1 (ready) to cell-2 (in state {@code targetTls}); {@code how} is over or without TLS. */
    private void assertMigratesLive(Map<String, Object> settings, String targetTls, String how) throws Exception {
        open(settings, Map.of("cell-1", "ready", "cell-2", targetTls), record("i-1", InstanceState.RUNNING));
        source(false, "RUNNING");
        cellsAnswerAMove(MigrationStatus.SUCCEEDED);
        TaskInfo done = await(instances.migrations().migrate("vm-i-1", "cell-2", ADMIN));
        assertEquals(TaskState.SUCCEEDED, done.state(), String.valueOf(done.error()));
        boolean tls = how.equals("over TLS");
        assertEquals(tls, ((OutgoingMigration) cells.bodies(CellProtocol.MIGRATION_START).get(0)).tls());
        Map<String, String> move = done.steps().stream().filter(s -> s.kind().equals(MoveInstanceStep.KIND))
                .findFirst().orElseThrow().data();
        assertEquals(String.valueOf(tls), move.get("tls"));
        assertTrue(audit.stream().anyMatch(e -> ("live migration of instance vm-i-1 from cell cell-1 to cell cell-2 "
                + how).equals(e.detail())), audit.toString());
    }

    @Test
    @DisplayName("migrationTls require: refused (409, field cell, naming the cell and why) when a cell is not ready")
    void requireRefusesACellThatIsNotReady() throws Exception {
        open(Map.of("migrationTls", "require"), Map.of("cell-1", "ready", "cell-2", "off"),
                record("i-1", InstanceState.RUNNING));
        source(false, "RUNNING");
        cellsAnswerAMove(MigrationStatus.SUCCEEDED);
        SkiffException e = assertThrows(SkiffException.class,
                () -> instances.migrations().migrate("vm-i-1", "cell-2", ADMIN));
        assertEquals(SkiffException.Kind.CONFLICT, e.kind());
        assertEquals("cell", e.field());
        assertTrue(e.getMessage().contains("cell-2") && e.getMessage().contains("migrationTlsDir"), e.getMessage());
        assertFalse(cells.calls().contains(CellProtocol.MIGRATION_PREPARE + "@cell-2"), "nothing was asked");
        assertEquals("cell-1", instances.lifecycle().get("i-1").cellId());
        assertEquals(InstanceState.RUNNING, instances.lifecycle().get("i-1").state(), "nothing changed");
    }

    private List<String> moveCalls() {
        List<String> calls = new ArrayList<>();
        for (String c : cells.calls()) {
            if (!c.startsWith(CellProtocol.MIGRATION_STATUS) || !calls.contains(c)) {
                calls.add(c);
            }
        }
        return calls;
    }

    @Test
    @DisplayName("a failed migration is undone: the target releases its copy, the source resumes; the record stays")
    void aFailedMoveIsUndone() throws Exception {
        open(Map.of(), record("i-1", InstanceState.RUNNING));
        // the source runs it; asked during the undo, the target answers that its domain is shut off
        AtomicInteger asked = new AtomicInteger();
        cells.answer(CellProtocol.MIGRATION_SOURCE, body -> new MigrationSource("i-1", List.of("/a/v0.qcow2"),
                List.of("skiff-local"), List.of(64L << 20), false, null, "pw",
                asked.getAndIncrement() == 0 ? "RUNNING" : "SHUT_OFF"));
        cellsAnswerAMove(MigrationStatus.FAILED);
        TaskInfo done = await(instances.migrations().migrate("vm-i-1", "cell-2", ADMIN));
        assertEquals(TaskState.FAILED, done.state());
        assertTrue(done.error().contains("client socket is closed"), done.error());
        assertEquals("cell-1", instances.lifecycle().get("i-1").cellId());
        assertTrue(cells.calls().contains(CellProtocol.MIGRATION_RECOVER + "@cell-1"), cells.calls().toString());
        assertTrue(cells.calls().contains(CellProtocol.MIGRATION_RELEASE + "@cell-2"), cells.calls().toString());
        assertFalse(cells.calls().contains(CellProtocol.MIGRATION_COMPLETE + "@cell-2"));
        assertFalse(cells.calls().contains(CellProtocol.MIGRATION_START + "@cell-2"), "nothing to migrate back");
    }

    @Test
    @DisplayName("a failure after a completed move migrates the guest back before the target releases its copy")
    void aFailureAfterTheMoveMigratesBack() throws Exception {
        open(Map.of(FaultInjection.FAIL_STEP, SwitchCellStep.KIND), record("i-1", InstanceState.RUNNING));
        source(false, "RUNNING"); // the target, asked during the undo, runs it too
        cellsAnswerAMove(MigrationStatus.SUCCEEDED);
        List<String> calls = failedMove();
        int back = calls.lastIndexOf(CellProtocol.MIGRATION_START + "@cell-2");
        assertTrue(back > 0, "the target migrates it back: " + calls);
        assertTrue(calls.lastIndexOf(CellProtocol.MIGRATION_PREPARE + "@cell-1") < back, "the source is ready first");
        assertTrue(calls.lastIndexOf(CellProtocol.MIGRATION_RELEASE + "@cell-2") > back, "then the target releases");
    }

    /** @return the cell requests of a move of vm-i-1 to cell-2 that failed, with the record still on cell-1 */
    private List<String> failedMove() throws Exception {
        TaskInfo done = await(instances.migrations().migrate("vm-i-1", "cell-2", ADMIN));
        assertEquals(TaskState.FAILED, done.state());
        assertEquals("cell-1", instances.lifecycle().get("i-1").cellId());
        return cells.calls();
    }

    /**
     * cell-1 and cell-2 in pool "pool", cell-3 in "other", cell-4 offline, cell-5 disabled; each with the migration
     * TLS state given.
     */
    private static final class Cells extends InstanceCellProtocolTest.NoCells {
        private final List<Cell> all;

        Cells(Map<String, String> tls) {
            all = List.of(cell("cell-1", "pool", true, CellStatus.ONLINE, tls),
                    cell("cell-2", "pool", true, CellStatus.ONLINE, tls),
                    cell("cell-3", "other", true, CellStatus.ONLINE, tls),
                    cell("cell-4", "pool", true, CellStatus.OFFLINE, tls),
                    cell("cell-5", "pool", false, CellStatus.ONLINE, tls));
        }

        private static Cell cell(String id, String pool, boolean enabled, CellStatus status, Map<String, String> tls) {
            return new Cell(id, id, "10.0.0.1", pool, enabled, status, new CellResources(8, 16L << 30, 16L << 30,
                    100L << 30, 100L << 30, 0.1, T), T, T, tls.get(id));
        }

        @Override
        public List<Cell> list() {
            return all;
        }

        @Override
        public Cell get(String id) {
            return all.stream().filter(c -> c.id().equals(id)).findFirst()
                    .orElseThrow(() -> SkiffException.notFound("cell", id));
        }
    }
}
