package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellInstanceState;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.InstanceRestart;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellResources;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.ComputePool;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
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
 * Failover and self-healing together in the Core: a cell that comes back never gets an instance started that its
 * record now places on another cell (failed over while it was away), not even when the record changes between the
 * report and the start; a stop during a failover, or what the lost cell says after the failover, is not the guest's
 * own doing and changes nothing; a lost cell that is back has the instances it fenced started where they are. No real
 * cell.
 */
@DisplayName("Failover and restart policies in the Core (unit)")
class FailoverHealingTest {
    private static final Instant T = Instant.parse("2026-12-07T06:00:00Z");

    @TempDir
    Path dir;

    private final FakeCellTransport transport = new FakeCellTransport("cell-1");
    private final RecordingOperationLog operations = new RecordingOperationLog();
    private CapabilitiesFixture fixture;

    private InstanceCapabilities open(InstanceRecord... records) throws Exception {
        InstanceProviders providers = new InstanceProviders();
        providers.setOperationLog(operations);
        transport.answer(CellProtocol.START, body -> new Ack(((InstanceAction) body).instanceId(), "running"));
        fixture = CapabilitiesFixture.open(dir, new TwoOnlineCells(), transport, Map.of(), providers, 2, records);
        return fixture.instances();
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** An instance of a failover pool that asks to be restarted, running on {@code cell}. */
    private static InstanceRecord record(String id, String cell, String taskId) {
        return record(id, cell, taskId, InstanceState.RUNNING);
    }

    private static InstanceRecord record(String id, String cell, String taskId, InstanceState state) {
        return new InstanceRecord(id, spec(id, "ha").withRestartPolicy(InstanceSpec.RESTART_ON_FAILURE), cell,
                "admin", "admin", state, null, taskId, T, T, "ha-nfs", true);
    }

    /** An instance of a pool, without a restart policy ({@code never}). */
    private static InstanceSpec spec(String id, String pool) {
        return new InstanceSpec("vm-" + id, pool, null, 1, 256L << 20,
                List.of(new DiskSpec(64L << 20, "ha-nfs", null, null)), "linux-virtio", null, false, null, null, null);
    }

    private static final class TwoOnlineCells extends InstanceCellProtocolTest.NoCells {
        @Override
        public List<Cell> list() {
            return List.of(cell("cell-1"), cell("cell-2"));
        }

        @Override
        public Cell get(String id) {
            return cell(id);
        }

        private static Cell cell(String id) {
            return new Cell(id, id, "10.0.0.1", "ha", true, CellStatus.ONLINE,
                    new CellResources(8, 16L << 30, 16L << 30, 100L << 30, 100L << 30, 0.1, T), T, T);
        }
    }

    private static void report(InstanceCapabilities instances, String cell, Map<String, String> states) {
        ((CellReports) instances.inventory()).onReport(new CellInstancesReport(cell, states.entrySet().stream()
                .map(e -> new CellInstanceState(e.getKey(), e.getValue(), null)).toList(), List.of(), null));
    }

    /** Cell-1 goes offline and comes back as the test says; cell-2 stays online. */
    private static final class CellOneComesAndGoes extends InstanceCellProtocolTest.NoCells {
        volatile CellStatus status = CellStatus.ONLINE;
        volatile Instant lostAt;

        @Override
        public List<Cell> list() {
            return List.of(get("cell-1"), get("cell-2"));
        }

        @Override
        public Cell get(String id) {
            boolean one = id.equals("cell-1");
            return new Cell(id, id, "10.0.0.1", "ha", true, one ? status : CellStatus.ONLINE,
                    new CellResources(8, 16L << 30, 16L << 30, 100L << 30, 100L << 30, 0.1, T), T, T, null,
                    one ? lostAt : null);
        }
    }

    @Test
    void aLostCellThatIsBackHasWhatItFencedStartedWhereItIsWhateverTheRestartPolicy() throws Exception {
        InstanceProviders providers = new InstanceProviders();
        providers.setOperationLog(operations);
        transport.answer(CellProtocol.START, body -> new Ack(((InstanceAction) body).instanceId(), "running"));
        CellOneComesAndGoes cells = new CellOneComesAndGoes();
        InstanceRecord ha = new InstanceRecord("i-1", spec("i-1", "ha"), "cell-1", "admin", "admin",
                InstanceState.RUNNING, null, null, T, T, "ha-nfs", true);
        InstanceRecord plain = new InstanceRecord("i-2", spec("i-2", "plain"), "cell-1", "admin", "admin",
                InstanceState.RUNNING, null, null, T, T, "ha-nfs", true);
        fixture = CapabilitiesFixture.open(dir, cells, transport, Map.of(), providers, 2, ha, plain);
        fixture.store().put("pool", "ha", new ComputePool("ha", "ha", "", T, true)); // ComputePoolServiceImpl.TYPE
        InstanceCapabilities instances = fixture.instances();
        report(instances, "cell-1", Map.of("i-1", "RUNNING", "i-2", "RUNNING"));

        cells.status = CellStatus.OFFLINE; // cut off: it fences i-1 after 6 s, back at 8 s before the failover at 9 s
        cells.lostAt = Instant.now();
        instances.failovers().tick();
        cells.status = CellStatus.ONLINE;
        cells.lostAt = null;
        report(instances, "cell-1", Map.of("i-1", "SHUT_OFF", "i-2", "SHUT_OFF")); // before the controller knows
        assertTrue(started().isEmpty(), "a report soon after the last is no comeback by itself");
        instances.failovers().tick();
        report(instances, "cell-1", Map.of("i-1", "SHUT_OFF", "i-2", "SHUT_OFF"));
        for (OperationRecord e : operations.entries) {
            fixture.engine().completion(e.taskId()).get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of("i-1"), started(), "the fenced instance of the failover pool, restart policy never; "
                + "not the other pool's, which its cell did not fence");
        assertTrue(operations.entries.get(0).detail().contains("fenced"), operations.entries.toString());
    }

    private List<String> started() {
        return transport.bodies(CellProtocol.START).stream().map(b -> ((InstanceAction) b).instanceId()).toList();
    }

    @Test
    void aReturningCellDoesNotGetAFailedOverInstanceStarted() throws Exception {
        // i-1 was failed over to cell-2 while cell-1 was away; i-2 could not move and still lives on cell-1
        InstanceCapabilities instances = open(record("i-1", "cell-2", null), record("i-2", "cell-1", null));
        report(instances, "cell-1", Map.of("i-1", "SHUT_OFF", "i-2", "SHUT_OFF")); // both fenced
        for (OperationRecord e : operations.entries) {
            if (e.action().equals(CellComebacks.STARTED)) {
                fixture.engine().completion(e.taskId()).get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(List.of("i-2"), started(), "only what the record still places on the returning cell");
        assertTrue(operations.entries.stream().noneMatch(e -> e.resource().equals("instances/vm-i-1")
                && e.action().equals(CellComebacks.STARTED)), operations.entries.toString());
    }

    @Test
    void aComebackStartFailsWhenTheRecordNamesAnotherCellByTheTimeItRuns() throws Exception {
        // stopped, so that the start is not refused at once for want of a report that shows it shut off
        InstanceCapabilities instances = open(record("i-1", "cell-1", null, InstanceState.STOPPED));
        InstanceRecord seen = instances.records().find("i-1").orElseThrow();
        instances.records().moveTo("i-1", "cell-2"); // a failover switched it after the report was read
        TaskInfo task = ((InstanceLifecycle) instances.lifecycle()).start(seen, "cell-1", "system");
        TaskInfo done = fixture.engine().completion(task.id()).get(30, TimeUnit.SECONDS);
        assertEquals(TaskState.FAILED, done.state(), done.toString());
        assertTrue(started().isEmpty(), "no start on either cell");
        InstanceRecord after = instances.records().find("i-1").orElseThrow();
        assertEquals("cell-2", after.cellId());
        assertEquals(InstanceState.STOPPED, after.state(), "the state before the start is put back by the undo");
    }

    @Test
    void aStopDuringAFailoverAndTheLostCellsWordsAfterItAreNotTheGuestsOwn() throws Exception {
        InstanceCapabilities instances = open(record("i-1", "cell-1", "task-failover"));
        CellRestartAudit audit = new CellRestartAudit(instances.records(), () -> operations);
        audit.onRestart(new InstanceRestart("cell-1", "i-1", T, InstanceRestart.STOPPED, "forced off from the host",
                0, 0, "not restarted (restart policy on-failure)"));
        InstanceRecord during = instances.records().find("i-1").orElseThrow();
        assertEquals(InstanceState.RUNNING, during.state(), "a task works on it: not the guest's doing");
        assertTrue(operations.entries.isEmpty(), operations.entries.toString());

        // the failover switched the record to cell-2 and finished; the lost cell speaks again
        instances.records().moveTo("i-1", "cell-2");
        instances.records().saveState(instances.records().find("i-1").orElseThrow(), InstanceState.RUNNING, null,
                null);
        for (String outcome : List.of(InstanceRestart.STOPPED, InstanceRestart.GAVE_UP, InstanceRestart.RESTARTED)) {
            audit.onRestart(new InstanceRestart("cell-1", "i-1", T, outcome, "QEMU crashed or was killed", 6, 0,
                    "from the stale copy"));
        }
        InstanceRecord after = instances.records().find("i-1").orElseThrow();
        assertEquals(InstanceState.RUNNING, after.state());
        assertEquals(null, after.lastError());
        assertTrue(operations.entries.isEmpty(), "the stale copy's cell does not speak for it");
    }
}
