package io.skiff.placement.leastloaded.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.model.CellResources;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.InstanceSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeastLoadedPlacementTest {
    private static final long GIB = 1L << 30;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final LeastLoadedPlacement policy = new LeastLoadedPlacement();
    private final InstanceSpec spec = new InstanceSpec("vm", "p", null, 1, GIB, List.of(), "linux-virtio", null,
            false);

    private static Cell cell(String id, int cpus, long memory, long available, double load) {
        return new Cell(id, id, "127.0.0.1", "p", true, CellStatus.ONLINE,
                new CellResources(cpus, memory, available, 100 * GIB, 50 * GIB, load, T0), T0, T0);
    }

    @Test
    void mostFreeMemoryRelativeToSizeWins() {
        // b has less free memory in bytes than c, but more relative to its size
        Cell a = cell("a", 4, 8 * GIB, 2 * GIB, 0.0);
        Cell b = cell("b", 4, 8 * GIB, 6 * GIB, 3.0);
        Cell c = cell("c", 4, 64 * GIB, 16 * GIB, 0.0);
        assertEquals("b", policy.choose(spec, List.of(a, b, c)).orElseThrow().id());
    }

    @Test
    void thenTheLowestLoadPerCpu() {
        Cell busy = cell("a", 2, 8 * GIB, 4 * GIB, 1.5);
        Cell idle = cell("b", 8, 8 * GIB, 4 * GIB, 2.0);
        assertEquals("b", policy.choose(spec, List.of(busy, idle)).orElseThrow().id());
    }

    @Test
    void thenTheIdSoTheChoiceIsDeterministic() {
        assertEquals("a", policy.choose(spec, List.of(cell("b", 2, 8 * GIB, 4 * GIB, 0.5),
                cell("a", 2, 8 * GIB, 4 * GIB, 0.5))).orElseThrow().id());
    }

    @Test
    void nothingWithoutCandidates() {
        assertEquals(Optional.empty(), policy.choose(spec, List.of()));
    }
}
