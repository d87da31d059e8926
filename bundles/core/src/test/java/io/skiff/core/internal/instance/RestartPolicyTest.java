package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.CellInstanceState;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceRestart;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellResources;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceEvent;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SkiffException;
import io.skiff.core.internal.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An instance's restart policy (validated, kept by every {@code with...}, {@code never} for old records, changed on a
 * running instance and passed to its cell) and its events (the operation log's entries about it, newest first, the
 * cells' restarts among them). No real cell.
 */
@DisplayName("Restart policy and instance events in the Core (unit)")
class RestartPolicyTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final AuthenticatedUser ADMIN = new AuthenticatedUser("admin", Set.of("admin"));

    @TempDir
    Path dir;

    private final FakeCellTransport cells = new FakeCellTransport("cell-1");
    private final RecordingOperationLog operations = new RecordingOperationLog();
    private final List<OperationRecord> log = operations.entries;
    private CapabilitiesFixture fixture;

    private InstanceCapabilities open() throws Exception {
        return open(record("i-1", "vm-1"), record("i-10", "vm-10"));
    }

    /** The Core with these records, cell-1 online (its reports count) and answering start and define. */
    private InstanceCapabilities open(InstanceRecord... records) throws Exception {
        InstanceProviders providers = new InstanceProviders();
        providers.setOperationLog(operations);
        cells.answer(CellProtocol.DEFINE, body -> new Ack(((CellInstanceSpec) body).instanceId(), "defined"));
        cells.answer(CellProtocol.START, body -> new Ack(((InstanceAction) body).instanceId(), "running"));
        fixture = CapabilitiesFixture.open(dir, new OnlineCell(), cells, Map.of(), providers, 2, records);
        return fixture.instances();
    }

    private static InstanceRecord record(String id, String name) {
        return record(id, name, false, null);
    }

    private static InstanceRecord record(String id, String name, boolean autoStart, String policy) {
        InstanceSpec spec = new InstanceSpec(name, "pool", null, 1, 256L << 20,
                List.of(new DiskSpec(64L << 20, null, null, null)), "linux-virtio", null, autoStart, null, null, null)
                .withRestartPolicy(policy);
        return new InstanceRecord(id, spec, "cell-1", "admin", "admin", InstanceState.RUNNING, null, null, T, T);
    }

    private volatile CellStatus cellStatus = CellStatus.ONLINE;

    /** cell-1, online unless the test says otherwise. */
    private final class OnlineCell extends InstanceCellProtocolTest.NoCells {
        @Override
        public List<Cell> list() {
            return List.of(new Cell("cell-1", "cell-1", "10.0.0.1", "pool", true, cellStatus,
                    new CellResources(8, 16L << 30, 16L << 30, 100L << 30, 100L << 30, 0.1, T), T, T));
        }

        @Override
        public Cell get(String id) {
            return list().get(0);
        }
    }

    private CellRestartAudit audit(InstanceCapabilities instances) {
        return new CellRestartAudit(instances.records(), () -> instances.providers().operationLogOrNull());
    }

    /** A report of cell-1 with each instance's domain in the given state. */
    private static void report(InstanceCapabilities instances, Map<String, String> states) {
        ((CellReports) instances.inventory()).onReport(new CellInstancesReport("cell-1", states.entrySet().stream()
                .map(e -> new CellInstanceState(e.getKey(), e.getValue(), null)).toList(), List.of(), null));
    }

    @Test
    void aGuestThatStoppedByItselfIsRecordedStoppedAndAGiveUpSaysWhy() throws Exception {
        InstanceCapabilities instances = open();
        CellRestartAudit audit = audit(instances);
        audit.onRestart(new InstanceRestart("cell-1", "i-1", T, InstanceRestart.STOPPED, "the guest shut down", 0, 0,
                "not restarted (restart policy on-failure)"));
        assertEquals(InstanceState.STOPPED, instances.lifecycle().get("i-1", ADMIN).state());
        assertEquals(CellRestartAudit.STOPPED, log.get(0).action());
        audit.onRestart(new InstanceRestart("cell-1", "i-10", T, InstanceRestart.GAVE_UP, "QEMU crashed", 6, 0,
                "5 restarts within 10 minutes: the instance stays stopped"));
        var gaveUp = instances.lifecycle().get("i-10", ADMIN);
        assertEquals(InstanceState.STOPPED, gaveUp.state());
        assertTrue(gaveUp.lastError().contains("5 restarts within 10 minutes"), gaveUp.lastError());
        audit.onRestart(new InstanceRestart("cell-1", "i-10", T, InstanceRestart.RESTARTED, "QEMU crashed", 1, 1000,
                null));
        assertEquals(InstanceState.RUNNING, instances.lifecycle().get("i-10", ADMIN).state());
    }

    @Test
    void aCellThatComesBackGetsWhatShouldRunStartedOnce() throws Exception {
        InstanceCapabilities instances = open(record("i-1", "heal", false, "on-failure"),
                record("i-2", "auto", true, null), record("i-3", "plain", false, "never"),
                record("i-4", "up", false, "always"));
        cellStatus = CellStatus.OFFLINE;
        report(instances, Map.of("i-1", "SHUT_OFF", "i-2", "SHUT_OFF", "i-3", "SHUT_OFF", "i-4", "RUNNING"));
        assertTrue(cells.bodies(CellProtocol.START).isEmpty(), "a report before the cell is online does not count");
        cellStatus = CellStatus.ONLINE;
        report(instances, Map.of("i-1", "SHUT_OFF", "i-2", "SHUT_OFF", "i-3", "SHUT_OFF", "i-4", "RUNNING"));
        for (OperationRecord e : log) {
            if (e.action().equals(CellComebacks.STARTED)) {
                fixture.engine().completion(e.taskId()).get(30, TimeUnit.SECONDS);
            }
        }
        List<String> started = cells.bodies(CellProtocol.START).stream()
                .map(b -> ((InstanceAction) b).instanceId()).sorted().toList();
        assertEquals(List.of("i-1", "i-2"), started, "record running, asks for it, shut off");
        assertEquals(2, log.stream().filter(e -> e.action().equals(CellComebacks.STARTED)).count());
        report(instances, Map.of("i-1", "SHUT_OFF", "i-2", "SHUT_OFF", "i-3", "SHUT_OFF", "i-4", "RUNNING"));
        assertEquals(2, cells.bodies(CellProtocol.START).size(), "only at the cell's first report");
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void thePolicyIsNeverOnFailureOrAlways() {
        assertEquals("never", InstanceRequests.restartPolicy(null));
        assertEquals("never", InstanceRequests.restartPolicy(""));
        assertEquals("on-failure", InstanceRequests.restartPolicy("on-failure"));
        assertEquals("always", InstanceRequests.restartPolicy("always"));
        for (String bad : List.of("sometimes", "ALWAYS", "on_failure")) {
            SkiffException e = assertThrows(SkiffException.class, () -> InstanceRequests.restartPolicy(bad));
            assertEquals("restartPolicy", e.field());
            assertEquals(SkiffException.Kind.INVALID, e.kind());
        }
    }

    @Test
    void everyWithKeepsThePolicyAndOldRecordsReadAsNever() throws Exception {
        InstanceSpec spec = record("i-1", "vm").spec().withRestartPolicy("always");
        for (InstanceSpec s : List.of(spec.withDisks(spec.disks()), spec.withGuestInit(null), spec.withQos(null),
                spec.withShape("vm-2", 2, 2L << 30), spec.withMedia("m"), spec.withBootFrom("cdrom"))) {
            assertEquals("always", s.restartPolicy(), s.toString());
        }
        var mapper = Json.newObjectMapper();
        String old = mapper.writeValueAsString(spec).replace(",\"restartPolicy\":\"always\"", "");
        InstanceSpec read = mapper.readValue(old, InstanceSpec.class);
        assertNull(read.restartPolicy());
        assertEquals("never", read.restartPolicyOrNever());
    }

    @Test
    void aRunningInstanceTakesANewPolicyAndItsCellIsTold() throws Exception {
        InstanceCapabilities instances = open();
        var status = instances.lifecycle().modify("vm-1", null, null, null, "on-failure", ADMIN);
        assertEquals("on-failure", status.spec().restartPolicy());
        List<Object> defines = cells.bodies(CellProtocol.DEFINE);
        assertEquals(1, defines.size());
        assertEquals("on-failure", ((CellInstanceSpec) defines.get(0)).restartPolicy());
        assertEquals("on-failure", instances.lifecycle().get("vm-1", ADMIN).spec().restartPolicy());
    }

    @Test
    void aBadPolicyChangesNothing() throws Exception {
        InstanceCapabilities instances = open();
        SkiffException e = assertThrows(SkiffException.class,
                () -> instances.lifecycle().modify("vm-1", "other", null, null, "sometimes", ADMIN));
        assertEquals("restartPolicy", e.field());
        assertTrue(cells.bodies(CellProtocol.DEFINE).isEmpty());
        assertEquals("vm-1", instances.lifecycle().get("i-1", ADMIN).spec().name());
        assertNull(instances.lifecycle().get("i-1", ADMIN).spec().restartPolicy());
    }

    @Test
    void eventsAreTheLogEntriesAboutTheInstanceNewestFirst() throws Exception {
        InstanceCapabilities instances = open();
        log.add(entry(T.plusSeconds(1), "POST /instances/{id}/start", "instances/i-1"));
        log.add(entry(T.plusSeconds(2), "instance migrated", "instances/vm-1"));
        log.add(entry(T.plusSeconds(3), "POST /instances/{id}/stop", "instances/vm-10")); // another instance
        log.add(entry(T.plusSeconds(4), "POST /images", "images/vm-1"));
        audit(instances).onRestart(new InstanceRestart("cell-1", "i-1", T.plusSeconds(5),
                InstanceRestart.RESTARTED, "QEMU crashed or was killed (stopped: FAILED)", 1, 1000, null));

        List<InstanceEvent> events = instances.events().events("vm-1", 0, ADMIN);
        assertEquals(List.of(CellRestartAudit.RESTARTED, "instance migrated", "POST /instances/{id}/start"),
                events.stream().map(InstanceEvent::action).toList());
        assertEquals("cell cell-1", events.get(0).user());
        assertEquals("cell", events.get(0).source());
        assertTrue(events.get(0).detail().startsWith("QEMU crashed"), events.get(0).detail());
        assertEquals(2, instances.events().events("i-1", 2, ADMIN).size());
        assertEquals(SkiffException.Kind.NOT_FOUND, assertThrows(SkiffException.class,
                () -> instances.events().events("no-vm", 0, ADMIN)).kind());
    }

    @Test
    void onlyTheInstancesOwnCellSpeaksForIt() throws Exception {
        InstanceCapabilities instances = open();
        audit(instances).onRestart(new InstanceRestart("cell-9", "i-1", T, InstanceRestart.RESTARTED,
                "crash", 1, 1000, null));
        assertTrue(log.isEmpty());
    }

    private static OperationRecord entry(Instant time, String action, String resource) {
        return new OperationRecord(time, "admin", "127.0.0.1", "rest", action, resource, OperationRecord.SUCCESS, 202,
                null, null);
    }
}
