package io.skiff.core.internal.instance;

import io.skiff.api.model.Cell;
import io.skiff.api.model.CellResources;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.model.InstanceState;
import io.skiff.api.service.SkiffException;
import io.skiff.placement.leastloaded.internal.LeastLoadedPlacement;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceSchedulerTest {
    private static final long GIB = 1L << 30;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final LeastLoadedPlacement leastLoaded = new LeastLoadedPlacement();

    static Cell cell(String id, String pool, int cpus, long memory, long available, boolean enabled, CellStatus status) {
        return new Cell(id, id, id, pool, enabled, status,
                new CellResources(cpus, memory, available, 100 * GIB, 50 * GIB, 0.1, T0), T0, T0);
    }

    static InstanceSpec spec(String name, int cores, long memory) {
        return new InstanceSpec(name, "p", null, cores, memory, List.of(new DiskSpec(GIB, null, null)),
                "linux-virtio", null, false);
    }

    /** What the instances placed so far use, per cell (as the Core's records answer). */
    static Function<String, ResourceUsage> byCell(List<InstanceRecord> placed) {
        return cell -> InstanceQuotas.sum(placed.stream().filter(r -> cell.equals(r.cellId())).toList());
    }

    static InstanceRecord placed(String name, String cell, int cores, long memory) {
        return new InstanceRecord(name, spec(name, cores, memory), cell, "u", "u", InstanceState.RUNNING, null, null,
                T0, T0);
    }

    @Test
    void choosesTheLeastLoadedFittingCell() {
        InstanceScheduler s = new InstanceScheduler(4.0, 1.0);
        List<Cell> cells = List.of(cell("a", "p", 2, 8 * GIB, 2 * GIB, true, CellStatus.ONLINE),
                cell("b", "p", 2, 8 * GIB, 6 * GIB, true, CellStatus.ONLINE),
                cell("c", "other", 64, 512 * GIB, 500 * GIB, true, CellStatus.ONLINE));
        assertEquals("b", s.place(spec("x", 1, GIB), cells, List.of(), leastLoaded).id());
    }

    @Test
    void burstsSpreadBeforeTheNextReport() {
        InstanceScheduler s = new InstanceScheduler(4.0, 1.0);
        // both cells reported the same free memory; reservations made since must count
        List<Cell> cells = List.of(cell("a", "p", 8, 8 * GIB, 8 * GIB, true, CellStatus.ONLINE),
                cell("b", "p", 8, 8 * GIB, 8 * GIB, true, CellStatus.ONLINE));
        List<InstanceRecord> placed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Cell c = s.place(spec("i" + i, 1, GIB), cells, placed, leastLoaded);
            placed.add(placed("i" + i, c.id(), 1, GIB));
        }
        Map<String, Long> perCell = placed.stream().collect(Collectors.groupingBy(InstanceRecord::cellId,
                Collectors.counting()));
        assertEquals(Map.of("a", 3L, "b", 3L), perCell);
    }

    @Test
    void skipsDisabledOfflineDuplicateAndFullCells() {
        InstanceScheduler s = new InstanceScheduler(1.0, 1.0);
        List<Cell> cells = List.of(cell("off", "p", 8, 64 * GIB, 64 * GIB, true, CellStatus.OFFLINE),
                cell("twice", "p", 8, 64 * GIB, 64 * GIB, true, CellStatus.DUPLICATE_NAME),
                cell("disabled", "p", 8, 64 * GIB, 64 * GIB, false, CellStatus.ONLINE),
                cell("full", "p", 2, 4 * GIB, 4 * GIB, true, CellStatus.ONLINE),
                cell("ok", "p", 2, 4 * GIB, 1 * GIB, true, CellStatus.ONLINE));
        List<InstanceRecord> placed = List.of(placed("i1", "full", 2, GIB));
        assertEquals("ok", s.place(spec("x", 2, 2 * GIB), cells, placed, leastLoaded).id());
    }

    @Test
    void overcommitRatiosBound() {
        Cell c = cell("a", "p", 2, 4 * GIB, 4 * GIB, true, CellStatus.ONLINE);
        InstanceScheduler strict = new InstanceScheduler(1.0, 1.0);
        InstanceScheduler loose = new InstanceScheduler(4.0, 1.5);
        List<InstanceRecord> onA = List.of(placed("i1", "a", 2, 3 * GIB));
        assertThrows(SkiffException.class, () -> strict.place(spec("x", 1, GIB), List.of(c), onA, leastLoaded));
        assertEquals("a", loose.place(spec("x", 6, 3 * GIB), List.of(c), onA, leastLoaded).id());
        SkiffException e = assertThrows(SkiffException.class,
                () -> loose.place(spec("x", 7, GIB), List.of(c), onA, leastLoaded));
        assertEquals(SkiffException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("no cell of pool 'p' has room"), e.getMessage());
    }

    @Test
    void clearErrorsWhenNothingFits() {
        InstanceScheduler s = new InstanceScheduler(4.0, 1.0);
        assertTrue(assertThrows(SkiffException.class, () -> s.place(spec("x", 1, GIB), List.of(), List.of(),
                leastLoaded)).getMessage().contains("has no cells"));
        List<Cell> offline = List.of(cell("a", "p", 2, 4 * GIB, 4 * GIB, true, CellStatus.OFFLINE));
        assertTrue(assertThrows(SkiffException.class, () -> s.place(spec("x", 1, GIB), offline, List.of(),
                leastLoaded)).getMessage().contains("no enabled, online cell"));
        InstanceSpec pinned = new InstanceSpec("x", "p", "zzz", 1, GIB, List.of(), "linux-virtio", null, false);
        SkiffException e = assertThrows(SkiffException.class, () -> s.place(pinned,
                List.of(cell("a", "p", 2, 4 * GIB, 4 * GIB, true, CellStatus.ONLINE)), List.of(), leastLoaded));
        assertEquals("cellId", e.field());
    }

    @Test
    void concurrentReservationsNeverOvercommit() throws Exception {
        InstanceScheduler s = new InstanceScheduler(1.0, 1.0);
        List<Cell> cells = List.of(cell("a", "p", 4, 64 * GIB, 64 * GIB, true, CellStatus.ONLINE),
                cell("b", "p", 4, 64 * GIB, 64 * GIB, true, CellStatus.ONLINE));
        List<InstanceRecord> reserved = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 20; i++) {
            String name = "i" + i;
            pool.execute(() -> {
                try {
                    go.await();
                    s.placeAndReserve(spec(name, 1, GIB), () -> cells, () -> byCell(List.copyOf(reserved)), leastLoaded,
                            c -> reserved.add(placed(name, c.id(), 1, GIB)));
                } catch (SkiffException e) {
                    refused.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        Map<String, Long> perCell = reserved.stream().collect(Collectors.groupingBy(InstanceRecord::cellId,
                Collectors.counting()));
        assertEquals(Map.of("a", 4L, "b", 4L), perCell, "each cell holds exactly its 4 CPUs' worth");
        assertEquals(12, refused.get());
    }
}
