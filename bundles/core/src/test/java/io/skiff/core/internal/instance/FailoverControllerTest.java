package io.skiff.core.internal.instance;

import io.skiff.api.model.Cell;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.ComputePool;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.SkiffException;
import io.skiff.core.internal.TestClock;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The failover controller's timing and decisions, with the clock, the cells and the mover faked. */
class FailoverControllerTest {
    static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

    @TempDir
    Path dir;
    JournalStateStore store;
    InstanceRecords records;
    final TestClock clock = TestClock.at("2026-12-07T06:00:00Z");
    final List<Cell> cells = new ArrayList<>();
    final List<String> moved = new ArrayList<>();
    final List<String> described = new ArrayList<>();
    final List<String> returned = new ArrayList<>();
    FailoverController controller;

    @BeforeEach
    void open() throws Exception {
        store = new JournalStateStore(dir, Json.newObjectMapper(), 1000);
        records = new InstanceRecords(store, clock);
        FailoverPolicy policy = new FailoverPolicy(pools(Map.of("ha", true, "plain", false)),
                () -> InstanceCellProtocolTest.config(SchedulerConfig.class, Map.of("isolationSeconds", 6)));
        FailoverController.Mover mover = new FailoverController.Mover() {
            @Override
            public void describe(InstanceRecord r) {
                described.add(r.id());
            }

            @Override
            public void failover(InstanceRecord r, Cell lost) {
                moved.add(r.id() + "@" + lost.id() + "@" + clock.instant());
            }
        };
        controller = new FailoverController(new InstanceCellProtocolTest.NoCells() {
            @Override
            public List<Cell> list() {
                return List.copyOf(cells);
            }
        }, records, policy, mover, clock, returned::add);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ComputePoolService pools(Map<String, Boolean> failover) {
        return (ComputePoolService) java.lang.reflect.Proxy.newProxyInstance(
                ComputePoolService.class.getClassLoader(), new Class<?>[] {ComputePoolService.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("get")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Boolean on = failover.get((String) args[0]);
                    if (on == null) {
                        throw SkiffException.notFound("compute pool", (String) args[0]);
                    }
                    return new ComputePool((String) args[0], (String) args[0], "", T0, on);
                });
    }

    private void cell(String id, String pool, CellStatus status, Instant lastSeen, Instant lostAt) {
        cells.removeIf(c -> c.id().equals(id));
        cells.add(new Cell(id, id, "10.0.0.1", pool, true, status, null, T0, lastSeen, null, lostAt));
    }

    private void instance(String id, String pool, String cell, InstanceState state, String task) {
        records.save(new InstanceRecord(id, new InstanceSpec("vm-" + id, pool, null, 1, 64L << 20,
                List.of(new DiskSpec(1L << 30, null, null)), "linux-virtio", null, false), cell, "admin", "admin",
                state, null, task, T0, T0));
    }

    private void tickAfter(Duration d) {
        clock.advance(d);
        controller.tick();
    }

    @Test
    void waitsIsolationPlusMarginFromTheLaterOfLastHeardAndNoticed() {
        instance("i-1", "ha", "cell-a", InstanceState.RUNNING, null);
        instance("i-2", "ha", "cell-a", InstanceState.STOPPED, null);
        instance("i-3", "ha", "cell-b", InstanceState.RUNNING, null);
        cell("cell-a", "ha", CellStatus.ONLINE, T0, null);
        cell("cell-b", "ha", CellStatus.ONLINE, T0, null);
        controller.learn();
        assertEquals(List.of("i-1", "i-2", "i-3"), described, "online cells describe their instances");

        // last heard at T0 + 1 s, noticed at T0 + 4 s (left the view): due at T0 + 4 + 6 + 3 s
        cell("cell-a", "ha", CellStatus.OFFLINE, T0.plusSeconds(1), T0.plusSeconds(4));
        tickAfter(Duration.ofSeconds(4));
        tickAfter(Duration.ofSeconds(8));
        assertEquals(List.of(), moved, "12.0 s: not yet");
        tickAfter(Duration.ofMillis(999));
        assertEquals(List.of(), moved, "12.999 s: not yet");
        tickAfter(Duration.ofMillis(1));
        assertEquals(List.of("i-1@cell-a@" + T0.plusSeconds(13), "i-2@cell-a@" + T0.plusSeconds(13)), moved,
                "both instances of the lost cell, the stopped one too, at 13 s; the other cell's stays");
        tickAfter(Duration.ofSeconds(1));
        assertEquals(2, moved.size(), "one attempt, not one per round");
    }

    @Test
    void aCellLastHeardAfterItWasNoticedCountsFromLastHeard() {
        instance("i-1", "ha", "cell-a", InstanceState.RUNNING, null);
        cell("cell-a", "ha", CellStatus.OFFLINE, T0.plusSeconds(2), T0);
        assertEquals(T0.plusSeconds(11), controller.dueAt(cells.get(0)));
    }

    @Test
    void aCellBackBeforeTheWaitEndedCancelsItsFailovers() {
        instance("i-1", "ha", "cell-a", InstanceState.RUNNING, null);
        cell("cell-a", "ha", CellStatus.OFFLINE, T0, T0);
        tickAfter(Duration.ofSeconds(5));
        cell("cell-a", "ha", CellStatus.ONLINE, clock.instant(), null);
        tickAfter(Duration.ofSeconds(5));
        tickAfter(Duration.ofSeconds(5));
        assertEquals(List.of(), moved);
        assertEquals(List.of("cell-a"), returned, "told once: it may have fenced i-1 already (6 s < 9 s)");

        // lost again later: a new wait from the new loss
        Instant lost = clock.instant();
        cell("cell-a", "ha", CellStatus.OFFLINE, lost, lost);
        tickAfter(Duration.ofSeconds(8));
        assertEquals(List.of(), moved);
        tickAfter(Duration.ofSeconds(1));
        assertEquals(1, moved.size());
    }

    @Test
    void poolsWithoutFailoverCellsNeverSeenAndBusyInstancesStay() {
        instance("i-1", "plain", "cell-p", InstanceState.RUNNING, null);
        instance("i-2", "ha", "cell-n", InstanceState.RUNNING, null);
        instance("i-3", "ha", "cell-a", InstanceState.RUNNING, "t-9");
        instance("i-4", "ha", "cell-a", InstanceState.ERROR, null);
        cell("cell-p", "plain", CellStatus.OFFLINE, T0, T0);
        cell("cell-n", "ha", CellStatus.OFFLINE, null, null);
        cell("cell-a", "ha", CellStatus.OFFLINE, T0, T0);
        tickAfter(Duration.ofSeconds(30));
        assertEquals(List.of(), moved, "no failover pool, never lost while this Core ran, a task at work, an error");

        records.setState("i-3", InstanceState.RUNNING, null);
        tickAfter(Duration.ofSeconds(1));
        assertEquals(List.of("i-3@cell-a@" + clock.instant()), moved, "once its task is over");
    }

    @Test
    void anInstanceThatCouldNotMoveIsTriedAgainAtOnceWhenALostCellIsBack() {
        instance("i-1", "ha", "cell-a", InstanceState.RUNNING, null);
        cell("cell-a", "ha", CellStatus.OFFLINE, T0, T0);
        cell("cell-b", "ha", CellStatus.OFFLINE, T0, T0); // lost with it: no room anywhere
        tickAfter(Duration.ofSeconds(9));
        assertEquals(1, moved.size());
        cell("cell-b", "ha", CellStatus.ONLINE, clock.instant(), null);
        tickAfter(Duration.ofSeconds(1));
        assertEquals(2, moved.size(), "cell-b is back: tried again at the next round, not 15 s later");
    }

    @Test
    void anInstanceThatCouldNotMoveIsTriedAgainLater() {
        instance("i-1", "ha", "cell-a", InstanceState.RUNNING, null);
        cell("cell-a", "ha", CellStatus.OFFLINE, T0, T0);
        tickAfter(Duration.ofSeconds(9));
        tickAfter(Duration.ofSeconds(FailoverController.RETRY_SECONDS - 1));
        assertEquals(1, moved.size());
        tickAfter(Duration.ofSeconds(1));
        assertEquals(2, moved.size());
    }
}
