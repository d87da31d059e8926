package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellInstanceState;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.CopyRelease;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.core.internal.TestClock;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A returning cell's copies of instances that were failed over are forced off and released, never resumed. */
class StaleCopiesTest {
    private static final String CELL = "cell-lost";
    private static final Instant T = Instant.parse("2026-12-07T06:00:00Z");

    @TempDir
    Path dir;
    private final FakeCellTransport cell = new FakeCellTransport(CELL);
    private JournalStateStore store;
    private JournaledTaskEngine engine;
    private InstanceRecords records;
    private final TestClock clock = TestClock.at("2026-12-07T06:00:00Z");
    private StaleCopies stale;

    @BeforeEach
    void open() throws Exception {
        store = new JournalStateStore(dir, Json.newObjectMapper(), 0);
        engine = new JournaledTaskEngine(store, 2, Clock.systemUTC());
        engine.start();
        records = new InstanceRecords(store, clock);
        cell.answer(CellProtocol.STOP, body -> new Ack(((InstanceAction) body).instanceId(), "forced off"));
        cell.answer(CellProtocol.MIGRATION_RELEASE, body -> new Ack(((CopyRelease) body).instanceId(), "released"));
        stale = new StaleCopies(engine, () -> new CellCalls(cell, Duration.ofSeconds(5)), records, new NoUndoStep(),
                () -> null, r -> r.spec().poolId().equals("ha"), clock, Duration.ofSeconds(4));
    }

    @AfterEach
    void close() throws Exception {
        engine.close();
        store.close();
    }

    private void record(String id, String pool, String owner) {
        records.save(new InstanceRecord(id, new InstanceSpec("vm-" + id, pool, null, 1, 64L << 20,
                List.of(new DiskSpec(1L << 30, null, null)), "linux-virtio", null, false), owner, "admin", "admin",
                InstanceState.RUNNING, null, null, T, T, "shared", true));
    }

    private static CellInstancesReport report(String... ids) {
        return new CellInstancesReport(CELL, java.util.Arrays.stream(ids)
                .map(id -> new CellInstanceState(id, "SHUT_OFF", null)).toList(), List.of(), null, List.of(ids));
    }

    private TaskInfo removal() throws Exception {
        TaskInfo task = engine.list().stream().filter(t -> t.name().equals(StaleCopies.TASK)).findFirst()
                .orElseThrow(() -> new AssertionError("no removal task: " + engine.list()));
        return engine.completion(task.id()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aCopyOfAnInstanceNowOnAnotherCellIsForcedOffAndReleasedKeepingSharedVolumes() throws Exception {
        record("moved-1", "ha", "cell-other");
        record("own-1", "ha", CELL);
        record("plain-1", "plain", "cell-other");

        stale.onReport(report("moved-1", "own-1", "plain-1"));
        clock.advance(Duration.ofSeconds(3));
        stale.onReport(report("moved-1", "own-1", "plain-1"));
        assertTrue(engine.list().isEmpty(), "within the grace nothing happens");

        clock.advance(Duration.ofSeconds(1));
        stale.onReport(report("moved-1", "own-1", "plain-1"));
        TaskInfo done = removal();
        assertEquals(TaskState.SUCCEEDED, done.state(), done.toString());
        assertEquals(List.of("instance:moved-1"), done.resources());
        assertEquals(List.of(CellProtocol.STOP, CellProtocol.MIGRATION_RELEASE), cell.types());
        assertEquals(new InstanceAction("moved-1", 0, true), cell.bodies(CellProtocol.STOP).get(0));
        assertEquals(new CopyRelease("moved-1", true), cell.bodies(CellProtocol.MIGRATION_RELEASE).get(0),
                "the shared volumes stay: the owner uses them");
        assertEquals("cell-other", records.find("moved-1").orElseThrow().cellId(), "the record is not touched");
        assertEquals(1, engine.list().size(), "its own instance and a pool without failover are left alone");
    }

    @Test
    void aCopyThatGoesAwayWithinTheGraceIsForgotten() {
        record("moved-1", "ha", "cell-other");
        stale.onReport(report("moved-1"));
        clock.advance(Duration.ofSeconds(3));
        stale.onReport(report());
        clock.advance(Duration.ofSeconds(3));
        stale.onReport(report("moved-1"));
        assertTrue(engine.list().isEmpty(), "seen again: the grace starts over");
    }
}
