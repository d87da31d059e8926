package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskRequest;
import io.skiff.core.internal.TestClock;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safety net: what a cell holds of a removed instance is removed by the Core, once nothing can own it. */
class OrphanSweeperTest {
    private static final String CELL = "cell-1";

    @TempDir
    Path dir;

    private final FakeCellTransport cell = new FakeCellTransport(CELL);
    private final List<String> audit = new CopyOnWriteArrayList<>();
    private JournalStateStore store;
    private JournaledTaskEngine engine;
    private TestClock clock;

    private OrphanSweeper sweeper(InstanceTombstones tombstones, Set<String> records) throws Exception {
        return new OrphanSweeper(engine, () -> new CellCalls(cell, Duration.ofSeconds(5)), records::contains,
                tombstones, clock, Duration.ofSeconds(30), audit::add);
    }

    private void open() throws Exception {
        store = new JournalStateStore(dir, Json.newObjectMapper(), 0);
        engine = new JournaledTaskEngine(store, 2, Clock.systemUTC());
        engine.start();
        clock = TestClock.at("2026-12-01T00:00:00Z");
        cell.answer(CellProtocol.UNDEFINE, body -> new Ack(((InstanceAction) body).instanceId(), "undefined"));
        cell.answer(CellProtocol.DELETE_DISKS, body -> new Ack(((InstanceAction) body).instanceId(), "deleted"));
    }

    @AfterEach
    void close() throws Exception {
        engine.close();
        store.close();
    }

    private static CellInstancesReport held(String... ids) {
        return new CellInstancesReport(CELL, List.of(), List.of(), null, List.of(ids));
    }

    private TaskInfo cleanup() throws Exception {
        for (int i = 0; i < 3000; i++) {
            for (TaskInfo t : engine.list()) {
                if (t.name().equals(OrphanSweeper.TASK)) {
                    return engine.completion(t.id()).get(30, TimeUnit.SECONDS);
                }
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("no clean-up task");
    }

    @Test
    void aRemovedInstanceStillHeldAfterTheGraceIsRemovedFromItsCell() throws Exception {
        open();
        InstanceTombstones tombstones = new InstanceTombstones(store, clock, Duration.ofDays(30));
        store.commit(List.of(tombstones.tombstone("gone-1")));
        OrphanSweeper sweeper = sweeper(tombstones, Set.of("alive-1"));

        sweeper.onReport(held("alive-1", "gone-1"));
        clock.advance(Duration.ofSeconds(10));
        sweeper.onReport(held("alive-1", "gone-1"));
        assertTrue(engine.list().isEmpty(), "within the grace nothing happens");

        clock.advance(Duration.ofSeconds(25));
        sweeper.onReport(held("alive-1", "gone-1"));
        TaskInfo done = cleanup();
        assertEquals(TaskState.SUCCEEDED, done.state(), done.toString());
        assertEquals(List.of("instance:gone-1"), done.resources());
        assertEquals(List.of(CellProtocol.UNDEFINE, CellProtocol.DELETE_DISKS), cell.types());
        assertEquals(InstanceAction.of("gone-1"), cell.bodies(CellProtocol.DELETE_DISKS).get(0));
        assertEquals(1, audit.size(), audit.toString());
        assertTrue(audit.get(0).contains("gone-1") && audit.get(0).contains(CELL), audit.toString());
    }

    @Test
    void whatThisCoreNeverHadOrAnUnfinishedTaskOwnsIsLeftAlone() throws Exception {
        open();
        InstanceTombstones tombstones = new InstanceTombstones(store, clock, Duration.ofDays(30));
        store.commit(List.of(tombstones.tombstone("busy-1")));
        OrphanSweeper sweeper = sweeper(tombstones, Set.of());
        CountDownLatch release = new CountDownLatch(1);
        TaskInfo busy = engine.submit(new TaskRequest("instance.create", Set.of("instance:busy-1"), "admin",
                List.of(new NoUndoStep().step("wait", ctx -> release.await()))));

        sweeper.onReport(held("foreign-1", "busy-1"));
        clock.advance(Duration.ofSeconds(60));
        sweeper.onReport(held("foreign-1", "busy-1"));
        assertEquals(List.of(busy.id()), engine.list().stream().map(TaskInfo::id).toList(),
                "no clean-up: one id was never this Core's, the other belongs to a running task");
        release.countDown();
        engine.completion(busy.id()).get(30, TimeUnit.SECONDS);
        assertEquals(List.of(), cell.types());
    }

    @Test
    void aCellErrorArrivesAsTheSameKindCodeAndField() throws Exception {
        open();
        cell.fail(CellProtocol.RESIZE_DISK, SkiffException.invalid("sizeBytes",
                "the disk holds data up to byte 52428800"));
        SkiffException e = org.junit.jupiter.api.Assertions.assertThrows(SkiffException.class,
                () -> new CellCalls(cell, Duration.ofSeconds(5)).volumes(CELL).resizeDisk(
                        new io.skiff.api.cell.DiskResize("i-1", 0, 1L << 20)));
        assertEquals(SkiffException.Kind.INVALID, e.kind());
        assertEquals("invalid", e.code());
        assertEquals("sizeBytes", e.field());
        assertEquals("the disk holds data up to byte 52428800", ((io.skiff.api.cell.CellFailure) e).cellMessage());

        cell.unreachable(CellProtocol.STOP);
        SkiffException offline = org.junit.jupiter.api.Assertions.assertThrows(SkiffException.class,
                () -> new CellCalls(cell, Duration.ofSeconds(5)).domains(CELL).stop(InstanceAction.of("i-1")));
        assertEquals(SkiffException.Kind.UNAVAILABLE, offline.kind(), "worth a retry");
    }
}
