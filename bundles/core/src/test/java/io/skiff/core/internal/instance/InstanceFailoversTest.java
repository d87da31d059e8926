package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.CopyRelease;
import io.skiff.api.cell.IncomingMigration;
import io.skiff.api.cell.MigrationCompletion;
import io.skiff.api.cell.MigrationSource;
import io.skiff.api.cell.MigrationTarget;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellResources;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.ComputePool;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failover task against a cell protocol faked at unit level: a lost cell's instance is prepared on another cell of
 * its failover pool from what the lost cell described earlier, switched and started; a failure undoes it all.
 */
class InstanceFailoversTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final MigrationSource DESCRIBED = new MigrationSource("i-1", List.of("nfs://nfs/export/v0.qcow2"),
            List.of("ha-nfs"), List.of(64L << 20), true, "52:54:00:00:00:01", "pw", "RUNNING");

    @TempDir
    Path dir;
    private final FakeCellTransport cells = new FakeCellTransport("cell-1", "cell-2");
    private final RecordingOperationLog operations = new RecordingOperationLog();
    private final List<OperationRecord> audit = operations.entries;
    private CapabilitiesFixture fixture;

    private void open(InstanceState state) throws Exception {
        InstanceProviders providers = CapabilitiesFixture.firstFitLogging(operations);
        InstanceSpec spec = new InstanceSpec("vm-1", "ha", null, 1, 256L << 20,
                List.of(new DiskSpec(64L << 20, "ha-nfs", null, null)), "linux-virtio", null, false, null, null, null);
        InstanceRecord r = new InstanceRecord("i-1", spec, "cell-1", "admin", "admin", state, null, null, T, T,
                "ha-nfs", true);
        fixture = CapabilitiesFixture.open(dir, new InstanceCellProtocolTest.NoCells() {
            @Override
            public List<Cell> list() {
                return List.of(cell("cell-1", CellStatus.OFFLINE, T), cell("cell-2", CellStatus.ONLINE, null));
            }
        }, cells, Map.of(), providers, 2, r);
        fixture.store().put("pool", "ha", new ComputePool("ha", "ha", "", T, true));
        fixture.store().put(FailoverSources.TYPE, "i-1", DESCRIBED);
        cells.answer(CellProtocol.MIGRATION_PREPARE, body -> new MigrationTarget("i-1", "cell-2",
                "qemu+tcp://cell-2/system", List.of("nfs://nfs/export/v0.qcow2"), null, null, "/b/i-1.log",
                "10.0.0.2"));
        cells.answer(CellProtocol.MIGRATION_COMPLETE, body -> new Ack("i-1", "owned"));
        cells.answer(CellProtocol.MIGRATION_RELEASE, body -> new Ack("i-1", "released"));
    }

    private static Cell cell(String id, CellStatus status, Instant lostAt) {
        return new Cell(id, id, "10.0.0.1", "ha", true, status, new CellResources(8, 16L << 30, 16L << 30,
                100L << 30, 100L << 30, 0.1, T), T, T, null, lostAt);
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private TaskInfo failover() throws Exception {
        fixture.instances().failovers().tick(); // lost since 2026-01-01: long past the wait
        TaskInfo task = fixture.engine().list().stream().filter(t -> t.name().equals(InstanceFailovers.TASK))
                .findFirst().orElseThrow(() -> new AssertionError("no failover task"));
        return fixture.engine().completion(task.id()).get(30, TimeUnit.SECONDS);
    }

    private InstanceRecord record() {
        return fixture.store().get(InstanceRecord.TYPE, "i-1", InstanceRecord.class).orElseThrow();
    }

    @Test
    void aRunningInstanceIsPreparedSwitchedAndStartedOnAnotherCellOfItsPool() throws Exception {
        open(InstanceState.RUNNING);
        cells.answer(CellProtocol.START, body -> new Ack("i-1", "started"));
        TaskInfo done = failover();
        assertEquals(TaskState.SUCCEEDED, done.state(), done.toString());
        assertEquals(List.of(CellProtocol.MIGRATION_PREPARE + "@cell-2", CellProtocol.MIGRATION_COMPLETE + "@cell-2",
                CellProtocol.START + "@cell-2"), cells.calls(), "the lost cell is never asked");
        IncomingMigration incoming = (IncomingMigration) cells.bodies(CellProtocol.MIGRATION_PREPARE).get(0);
        assertEquals(DESCRIBED, incoming.source(), "the same volumes and MAC");
        assertEquals(5, incoming.spec().fenceAfterSeconds(), "the target is told to fence it");
        assertEquals(new MigrationCompletion("i-1", true), cells.bodies(CellProtocol.MIGRATION_COMPLETE).get(0));
        assertEquals("cell-2", record().cellId());
        assertEquals(InstanceState.RUNNING, record().state());
        assertTrue(audit.stream().anyMatch(e -> e.action().equals("instance failover")
                && e.resource().equals("instances/vm-1") && e.detail().contains("cell-1")), audit.toString());
    }

    @Test
    void aLostCellsInstanceIsUnknownNeverStopped() throws Exception {
        open(InstanceState.STOPPED);
        InstanceStatus status = ((CellReports) fixture.instances().inventory()).status(record());
        assertEquals(InstanceState.UNKNOWN, status.state());
        assertTrue(status.lastError().contains("cell cell-1 is lost since " + T), status.lastError());
    }

    @Test
    void aStoppedInstanceOnlySwitches() throws Exception {
        open(InstanceState.STOPPED);
        TaskInfo done = failover();
        assertEquals(TaskState.SUCCEEDED, done.state(), done.toString());
        assertEquals(List.of(CellProtocol.MIGRATION_PREPARE + "@cell-2", CellProtocol.MIGRATION_COMPLETE + "@cell-2"),
                cells.calls());
        assertEquals(InstanceState.STOPPED, record().state());
    }

    @Test
    void aFailedStartUndoesItAllKeepingTheSharedVolumes() throws Exception {
        open(InstanceState.RUNNING);
        cells.fail(CellProtocol.START, SkiffException.conflict("instance", "no memory"));
        cells.answer(CellProtocol.STOP, body -> new Ack("i-1", "not running"));
        TaskInfo done = failover();
        assertEquals(TaskState.FAILED, done.state(), done.toString());
        assertEquals("cell-1", record().cellId(), "the record names the lost cell again");
        assertEquals(new CopyRelease("i-1", true), cells.bodies(CellProtocol.MIGRATION_RELEASE).get(0));
        assertTrue(cells.calls().stream().noneMatch(c -> c.endsWith("@cell-1")), "the lost cell is never asked");
    }
}
